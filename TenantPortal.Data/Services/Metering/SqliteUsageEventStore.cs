using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// SQLite: multi-row <c>INSERT … ON CONFLICT DO NOTHING RETURNING</c> in one transaction (the rows returned are the ones inserted). Values are written in the formats the
/// EF model reads (GUID as upper-case text, times as UTC ticks, enums as names, decimals as invariant text).
/// </summary>
public sealed class SqliteUsageEventStore(IDbContextFactory<PortalDbContext> contexts) : IUsageEventStore
{
    // 7 parameters a row; SQLite allows 32,766 parameters, so a full batch of 1,000 fits in one statement.
    private const int RowsPerStatement = 1_000;

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredUsageEvent>> InsertNewAsync(Guid tenantId, IReadOnlyList<UsageEventInput> events, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var inserted = new List<StoredUsageEvent>(events.Count);
        var tenant = tenantId.ToString().ToUpperInvariant();
        foreach (var chunk in events.Chunk(RowsPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder("INSERT INTO \"UsageEvents\" (\"TenantId\", \"ClientEventId\", \"Metric\", \"Quantity\", \"Timestamp\", \"ReceivedAt\") VALUES ");
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : ",").Append($"($t,$c{i},$m{i},$q{i},$s{i},$r)");
                command.Parameters.AddWithValue($"$c{i}", chunk[i].ClientEventId);
                command.Parameters.AddWithValue($"$m{i}", chunk[i].Metric.ToString());
                command.Parameters.AddWithValue($"$q{i}", chunk[i].Quantity);
                command.Parameters.AddWithValue($"$s{i}", chunk[i].Timestamp.UtcTicks);
            }
            sql.Append(" ON CONFLICT(\"TenantId\", \"ClientEventId\") DO NOTHING RETURNING \"Id\", \"ClientEventId\";");
            command.Parameters.AddWithValue("$t", tenant);
            command.Parameters.AddWithValue("$r", receivedAt.UtcTicks);
            command.CommandText = sql.ToString();
            var byId = chunk.ToDictionary(e => e.ClientEventId, StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var e = byId[reader.GetString(1)];
                inserted.Add(new StoredUsageEvent(reader.GetInt64(0), e.Metric, e.Quantity, e.Timestamp));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }
}
