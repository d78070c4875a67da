using Microsoft.Data.Sqlite;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// Generates usage events inside SQLite (a recursive counter, one transaction per million rows), in the formats the
/// portal writes: tens of millions of events in a few minutes, where row-by-row inserts would take an hour. Event
/// <c>n</c> goes to tenant <c>n mod tenants</c> (tenants ranked by slug), its timestamps spread evenly over
/// [<c>from</c>, <c>to</c>). Every <c>gaugeEvery</c>-th event is a storage reading (a level of 10.5–49.5 GB), every
/// tenth other one GPU hours (0.15–0.95, fractional), the rest API calls (whole numbers times <c>apiScale</c>).
/// </summary>
public static class EventGenerator
{
    private const int ChunkSize = 1_000_000;

    /// <summary>Inserts events numbered <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1.</summary>
    public static async Task InsertAsync(LoadDatabase database, long first, long count, DateTimeOffset from, DateTimeOffset to, DateTimeOffset receivedAt,
        int gaugeEvery = 1_000, long apiScale = 1, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            PRAGMA synchronous=NORMAL;
            PRAGMA cache_size=-262144;
            DROP TABLE IF EXISTS temp."GenTenants";
            CREATE TEMP TABLE "GenTenants" ("Rank" INTEGER PRIMARY KEY, "Id" TEXT NOT NULL);
            INSERT INTO temp."GenTenants" ("Rank", "Id") SELECT ROW_NUMBER() OVER (ORDER BY "Slug") - 1, "Id" FROM "Tenants";
            """, cancellationToken);
        var tenants = await ScalarAsync(connection, "SELECT COUNT(*) FROM temp.\"GenTenants\";", cancellationToken);
        var span = to.UtcTicks - from.UtcTicks;
        for (var start = first; start < first + count; start += ChunkSize)
        {
            var end = Math.Min(first + count, start + ChunkSize);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, $"""
                WITH RECURSIVE "N"("I") AS (SELECT {start} UNION ALL SELECT "I" + 1 FROM "N" WHERE "I" < {end - 1})
                INSERT INTO "UsageEvents" ("TenantId", "ClientEventId", "Metric", "Quantity", "Timestamp", "ReceivedAt")
                SELECT t."Id", 'gen-' || "I",
                    CASE WHEN "I" % {gaugeEvery} = 0 THEN 'StorageGb' WHEN "I" % 10 = 0 THEN 'GpuHours' ELSE 'ApiCalls' END,
                    CASE WHEN "I" % {gaugeEvery} = 0 THEN (10 + "I" % 40) || '.5'
                         WHEN "I" % 10 = 0 THEN '0.' || (1 + "I" % 9) || '5'
                         ELSE ((1 + "I" % 5) * {apiScale}) || '.0' END,
                    {from.UtcTicks} + ("I" - {first}) * {span} / {count},
                    {receivedAt.UtcTicks}
                FROM "N" JOIN temp."GenTenants" AS t ON t."Rank" = "I" % {tenants};
                """, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
