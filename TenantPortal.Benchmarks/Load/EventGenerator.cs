using Microsoft.Data.Sqlite;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// Generates usage events inside the database (SQLite: a recursive counter; PostgreSQL: <c>generate_series</c>; one
/// transaction per million rows), in the formats the portal writes: tens of millions of events in a few minutes, where row-by-row inserts would take an hour. Event
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
        if (database.Provider == LoadProvider.PostgreSql)
        {
            await InsertPostgreSqlAsync(database, first, count, from, to, receivedAt, gaugeEvery, apiScale, cancellationToken);
            return;
        }
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

    // The same events as the SQLite statement: same tenant (by slug rank), metric, quantity and timestamp for each n.
    private static async Task InsertPostgreSqlAsync(LoadDatabase database, long first, long count, DateTimeOffset from, DateTimeOffset to, DateTimeOffset receivedAt,
        int gaugeEvery, long apiScale, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPostgreSqlAsync(cancellationToken);
        await PostgreSqlAsync(connection, """
            CREATE TEMP TABLE "GenTenants" ("Rank" bigint PRIMARY KEY, "Id" uuid NOT NULL);
            INSERT INTO "GenTenants" ("Rank", "Id") SELECT ROW_NUMBER() OVER (ORDER BY "Slug" COLLATE "C") - 1, "Id" FROM "Tenants";
            """, cancellationToken);
        await using (var countTenants = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM \"GenTenants\"", connection))
        {
            var tenants = (long)(await countTenants.ExecuteScalarAsync(cancellationToken))!;
            var fromMicros = (from.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
            var spanMicros = (to.UtcTicks - from.UtcTicks) / 10;
            var received = receivedAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            for (var start = first; start < first + count; start += ChunkSize)
            {
                var end = Math.Min(first + count, start + ChunkSize);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                // The arrangement, not the measured path: its commits need not wait for the disk.
                await PostgreSqlAsync(connection, $"""
                    SET LOCAL synchronous_commit = off;
                    INSERT INTO "UsageEvents" ("TenantId", "ClientEventId", "Metric", "Quantity", "Timestamp", "ReceivedAt")
                    SELECT t."Id", 'gen-' || i,
                        CASE WHEN i % {gaugeEvery} = 0 THEN 'StorageGb' WHEN i % 10 = 0 THEN 'GpuHours' ELSE 'ApiCalls' END,
                        CASE WHEN i % {gaugeEvery} = 0 THEN (10 + i % 40) + 0.5
                             WHEN i % 10 = 0 THEN (1 + i % 9) * 0.1 + 0.05
                             ELSE (1 + i % 5) * {apiScale} END,
                        to_timestamp(0) + (({fromMicros}::numeric + (i - {first})::numeric * {spanMicros} / {count})::bigint) * interval '1 microsecond',
                        '{received}'::timestamptz
                    FROM generate_series({start}::bigint, {end - 1}::bigint) AS i JOIN "GenTenants" AS t ON t."Rank" = i % {tenants};
                    """, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        await PostgreSqlAsync(connection, "DROP TABLE \"GenTenants\"; ANALYZE \"UsageEvents\";", cancellationToken);
    }

    private static async Task PostgreSqlAsync(Npgsql.NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
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
