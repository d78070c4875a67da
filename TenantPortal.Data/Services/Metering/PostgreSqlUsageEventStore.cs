using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// PostgreSQL: the batch as four arrays in one <c>INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING RETURNING</c>,
/// in one transaction: the unique (tenant, client event id) index decides, so racing requests with the same id store it
/// once and a batch is stored whole or not at all. The transaction carries the batch's tenant for row-level security.
/// </summary>
public sealed class PostgreSqlUsageEventStore(IDbContextFactory<PortalDbContext> contexts) : IUsageEventStore
{
    private const string InsertSql = """
        INSERT INTO "UsageEvents" ("TenantId", "ClientEventId", "Metric", "Quantity", "Timestamp", "ReceivedAt")
        SELECT @t, v.c, v.m, v.q, v.s, @r FROM unnest(@c, @m, @q, @s) AS v(c, m, q, s)
        ON CONFLICT ("TenantId", "ClientEventId") DO NOTHING
        RETURNING "Id", "ClientEventId"
        """;

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredUsageEvent>> InsertNewAsync(Guid tenantId, IReadOnlyList<UsageEventInput> events, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.InTransactionAsync(async (transaction, ct) =>
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
            // Row-level security: the batch is written for its tenant only (the policy refuses any other tenant's row).
            await PostgreSqlTenantSetting.ApplyAsync(connection, npgsqlTransaction, tenantId, crossTenant: false, ct);
            var inserted = new List<StoredUsageEvent>(events.Count);
            await using (var command = new NpgsqlCommand(InsertSql, connection, npgsqlTransaction))
            {
                command.Parameters.Add(new NpgsqlParameter<Guid>("t", tenantId));
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("r", receivedAt.ToUniversalTime()));
                command.Parameters.Add(new NpgsqlParameter<string[]>("c", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. events.Select(e => e.ClientEventId)] });
                command.Parameters.Add(new NpgsqlParameter<string[]>("m", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. events.Select(e => e.Metric.ToString())] });
                command.Parameters.Add(new NpgsqlParameter<decimal[]>("q", NpgsqlDbType.Array | NpgsqlDbType.Numeric) { TypedValue = [.. events.Select(e => e.Quantity)] });
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("s", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. events.Select(e => e.Timestamp.ToUniversalTime())] });
                var byId = new Dictionary<string, UsageEventInput>(events.Count, StringComparer.Ordinal);
                foreach (var e in events)
                    byId.TryAdd(e.ClientEventId, e);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var e = byId[reader.GetString(1)];
                    inserted.Add(new StoredUsageEvent(reader.GetInt64(0), e.Metric, e.Quantity, e.Timestamp));
                }
            }
            await transaction.CommitAsync(ct);
            return (IReadOnlyList<StoredUsageEvent>)inserted;
        }, cancellationToken);
    }
}
