using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// PostgreSQL: the batch as four arrays in one <c>INSERT … SELECT FROM unnest(…) RETURNING</c>, in one transaction that
/// enters the <see cref="IUsageCommitBarrier"/> and carries the batch's tenant before it inserts; committed (flushed to
/// the WAL, as the server's <c>synchronous_commit</c> says) before the ids are returned.
/// </summary>
/// <remarks>
/// Most batches hold only new ids, so the first attempt is a plain insert: <c>ON CONFLICT DO NOTHING</c> costs a
/// speculative insertion per row (measured: about twice the insert's own cost, see BENCHMARKS.md). When the unique
/// (tenant, client event id) index refuses a row — a retried batch, an id repeated inside the batch, or a concurrent
/// request with the same id, whose transaction the insert waits for — the whole attempt rolls back and the batch is
/// inserted again with <c>ON CONFLICT DO NOTHING</c>, which stores each new id once and skips the rest. Either way the
/// batch is stored whole or not at all. The rows are sent in client-id order, so that two batches sharing ids take their
/// index entries in the same order and don't deadlock.
/// </remarks>
public sealed class PostgreSqlUsageEventStore(IDbContextFactory<PortalDbContext> contexts, IUsageCommitBarrier barrier) : IUsageEventStore
{
    private const string Columns = """
        INSERT INTO "UsageEvents" ("TenantId", "ClientEventId", "Metric", "Quantity", "Timestamp", "ReceivedAt")
        SELECT @t, v.c, v.m, v.q, v.s, @r FROM unnest(@c, @m, @q, @s) AS v(c, m, q, s)
        """;

    private const string InsertSql = Columns + """
         RETURNING "Id", "ClientEventId"
        """;

    private const string InsertSkippingDuplicatesSql = Columns + """
         ON CONFLICT ("TenantId", "ClientEventId") DO NOTHING
        RETURNING "Id", "ClientEventId"
        """;

    // The names the metric column holds (enum names, as EF Core's string conversion writes them), made once.
    private static readonly Dictionary<UsageMetric, string> MetricNames = Enum.GetValues<UsageMetric>().ToDictionary(m => m, m => m.ToString());

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredUsageEvent>> InsertNewAsync(Guid tenantId, IReadOnlyList<UsageEventInput> events, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
            return [];
        // Stable: of two rows with the same id the first stays first, and it is the one stored.
        var ordered = events.OrderBy(e => e.ClientEventId, StringComparer.Ordinal).ToArray();
        await using var db = contexts.CreateDbContext();
        try
        {
            return await db.InTransactionAsync((transaction, ct) => InsertAsync(db, transaction, tenantId, ordered, receivedAt, InsertSql, ct), cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Rolled back whole: an id of the batch is stored already (or repeated in it). Again, skipping those.
        }
        return await db.InTransactionAsync((transaction, ct) => InsertAsync(db, transaction, tenantId, ordered, receivedAt, InsertSkippingDuplicatesSql, ct), cancellationToken);
    }

    private async Task<IReadOnlyList<StoredUsageEvent>> InsertAsync(PortalDbContext db, IDbContextTransaction transaction, Guid tenantId,
        UsageEventInput[] events, DateTimeOffset receivedAt, string sql, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
        // Row-level security: the transaction works for the batch's tenant (per-transaction settings, not cross-tenant).
        await PostgreSqlTenantSetting.ApplyAsync(connection, npgsqlTransaction, tenantId, crossTenant: false, cancellationToken);
        // Before any id is taken: a rollup never passes an id this transaction may still commit.
        await barrier.EnterIngestAsync(connection, npgsqlTransaction, cancellationToken);

        var clientIds = new string[events.Length];
        var metrics = new string[events.Length];
        var quantities = new decimal[events.Length];
        var timestamps = new DateTimeOffset[events.Length];
        var byId = new Dictionary<string, UsageEventInput>(events.Length, StringComparer.Ordinal);
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            clientIds[i] = e.ClientEventId;
            metrics[i] = MetricNames[e.Metric];
            quantities[i] = e.Quantity;
            timestamps[i] = e.Timestamp.ToUniversalTime();
            byId.TryAdd(e.ClientEventId, e);
        }

        var inserted = new List<StoredUsageEvent>(events.Length);
        await using (var command = new NpgsqlCommand(sql, connection, npgsqlTransaction))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid>("t", NpgsqlDbType.Uuid) { TypedValue = tenantId });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("r", NpgsqlDbType.TimestampTz) { TypedValue = receivedAt.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter<string[]>("c", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = clientIds });
            command.Parameters.Add(new NpgsqlParameter<string[]>("m", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = metrics });
            command.Parameters.Add(new NpgsqlParameter<decimal[]>("q", NpgsqlDbType.Array | NpgsqlDbType.Numeric) { TypedValue = quantities });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("s", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = timestamps });
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
