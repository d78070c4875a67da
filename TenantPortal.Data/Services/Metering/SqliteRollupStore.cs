using System.Data.Common;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// SQLite: times are UTC ticks, so hours and days are integer arithmetic; months go through strftime. SQLite groups by
/// sorting, so the events of the range are read and sorted once, into per-hour totals in a temporary table; the days
/// are summed from the hours and the months from the days (far fewer rows), and each level is then upserted into the
/// rollups in their key order.
/// <para>
/// Decimals are stored as text, so sums stay exact without floating point. A quantity whose text is a whole number (it
/// reads back as the same text, <c>CAST(q AS INTEGER) || '.0' = q</c>, with at most 13 characters, so below 10^11 in
/// size) is summed as a 64-bit integer, which is exact: with at most <see cref="RunSize"/>
/// events a run the total stays far below 2^63, and SQLite fails on an integer overflow rather than wrapping. Any other
/// quantity goes through EF Core's exact decimal aggregate <c>ef_sum</c>; the two parts meet once per bucket (<c>ef_add</c>).
/// </para>
/// <para>
/// A gauge bucket's latest reading is the greatest key "ticks (20 digits), id (20 digits), quantity" among its events:
/// the latest time, then the latest id; it replaces the stored one only when that is not newer.
/// </para>
/// </summary>
public sealed class SqliteRollupStore : IRollupStore
{
    /// <summary>
    /// Events per run on SQLite: one writer, and a run of 1,000,000 takes about 4 s (BENCHMARKS.md: 10 M in 24 s), so a
    /// backlog clears in few runs while the writer waits for each only seconds.
    /// </summary>
    public const int RunSize = 1_000_000;

    /// <summary>
    /// SQLite's command timeout is also how long a statement waits for the write lock: a run's statements take seconds,
    /// and the ingest writer's group commits hold the lock for milliseconds.
    /// </summary>
    public static readonly TimeSpan RunCommandTimeout = TimeSpan.FromSeconds(120);

    private const long TicksPerHour = 36_000_000_000;
    private const long TicksPerDay = 864_000_000_000;
    private const string UnixEpochTicks = "621355968000000000";

    // A quantity summed as an integer: its text is exactly a whole number below 10^11 in size.
    private const string Whole = "(length(\"Quantity\") <= 13 AND CAST(\"Quantity\" AS INTEGER) || '.0' = \"Quantity\")";

    // The first instant of the UTC month of a ticks bucket, in ticks.
    private const string MonthOf = "(CAST(strftime('%s', strftime('%Y-%m-01', (\"Bucket\" - " + UnixEpochTicks + ") / 10000000, 'unixepoch')) AS INTEGER) * 10000000 + " + UnixEpochTicks + ")";

    private static readonly (string Granularity, string Table)[] Levels = [("Hour", "RollupHour"), ("Day", "RollupDay"), ("Month", "RollupMonth")];

    /// <inheritdoc />
    public int MaxEventsPerRun => RunSize;

    /// <inheritdoc />
    public TimeSpan CommandTimeout => RunCommandTimeout;

    /// <inheritdoc />
    public async Task AggregateAsync(DbConnection connection, DbTransaction transaction, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, """
            PRAGMA cache_size = -65536;
            DROP TABLE IF EXISTS temp."RollupHour";
            DROP TABLE IF EXISTS temp."RollupDay";
            DROP TABLE IF EXISTS temp."RollupMonth";
            CREATE TEMP TABLE "RollupHour" ("TenantId" TEXT, "Metric" TEXT, "Bucket" INTEGER, "Whole" INTEGER, "Fraction" TEXT, "Count" INTEGER, "Latest" TEXT);
            CREATE TEMP TABLE "RollupDay" ("TenantId" TEXT, "Metric" TEXT, "Bucket" INTEGER, "Whole" INTEGER, "Fraction" TEXT, "Count" INTEGER, "Latest" TEXT);
            CREATE TEMP TABLE "RollupMonth" ("TenantId" TEXT, "Metric" TEXT, "Bucket" INTEGER, "Whole" INTEGER, "Fraction" TEXT, "Count" INTEGER, "Latest" TEXT);
            """, fromId, toId, now, cancellationToken);

        // The one read of the events; the groups come out (and are stored) in the rollups' key order.
        await ExecuteAsync(connection, transaction, $"""
            INSERT INTO temp."RollupHour"
            SELECT "TenantId", "Metric", "Timestamp" / {TicksPerHour} * {TicksPerHour},
                   SUM(CAST("Quantity" AS INTEGER)) FILTER (WHERE {Whole}),
                   ef_sum("Quantity") FILTER (WHERE NOT {Whole}),
                   COUNT(*),
                   max(printf('%020d%020d', "Timestamp", "Id") || "Quantity") FILTER (WHERE "Metric" IN ('StorageGb', 'Studies'))
            FROM "UsageEvents" WHERE "Id" > $from AND "Id" <= $to
            GROUP BY "TenantId", "Metric", 3;
            """, fromId, toId, now, cancellationToken);
        await ExecuteAsync(connection, transaction, Derive("RollupDay", $"\"Bucket\" / {TicksPerDay} * {TicksPerDay}", "RollupHour"), fromId, toId, now, cancellationToken);
        await ExecuteAsync(connection, transaction, Derive("RollupMonth", MonthOf, "RollupDay"), fromId, toId, now, cancellationToken);

        foreach (var (granularity, table) in Levels)
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO "UsageRollups" ("TenantId", "Metric", "Granularity", "PeriodStart", "Sum", "EventCount", "LevelHours", "LastValue", "LastValueAt", "UpdatedAt")
                SELECT "TenantId", "Metric", '{granularity}', "Bucket",
                       CASE WHEN "Fraction" IS NULL THEN "Whole" || '.0' WHEN "Whole" IS NULL THEN "Fraction" ELSE ef_add("Fraction", "Whole") END,
                       "Count", '0.0', substr("Latest", 41), CAST(substr("Latest", 1, 20) AS INTEGER), $now
                FROM temp."{table}" WHERE 1
                ON CONFLICT ("TenantId", "Metric", "Granularity", "PeriodStart") DO UPDATE SET
                    "Sum" = ef_add("Sum", excluded."Sum"),
                    "EventCount" = "EventCount" + excluded."EventCount",
                    "LastValue" = CASE WHEN excluded."LastValueAt" IS NOT NULL AND ("LastValueAt" IS NULL OR "LastValueAt" <= excluded."LastValueAt")
                        THEN excluded."LastValue" ELSE "LastValue" END,
                    "LastValueAt" = CASE WHEN excluded."LastValueAt" IS NOT NULL AND ("LastValueAt" IS NULL OR "LastValueAt" <= excluded."LastValueAt")
                        THEN excluded."LastValueAt" ELSE "LastValueAt" END,
                    "UpdatedAt" = excluded."UpdatedAt";
                """, fromId, toId, now, cancellationToken);
        await ExecuteAsync(connection, transaction, Clear, fromId, toId, now, cancellationToken);
    }

    // The pooled connection outlives the run: its temporary tables go (dropping is cheaper than emptying), its cache is back to the default.
    private const string Clear = """
        DROP TABLE temp."RollupHour";
        DROP TABLE temp."RollupDay";
        DROP TABLE temp."RollupMonth";
        PRAGMA cache_size = -2000;
        """;

    // A coarser level summed from a finer one: integer parts as integers, fractional parts exactly, the greatest latest key.
    private static string Derive(string table, string bucket, string from) => $"""
        INSERT INTO temp."{table}"
        SELECT "TenantId", "Metric", {bucket}, SUM("Whole"), ef_sum("Fraction") FILTER (WHERE "Fraction" IS NOT NULL), SUM("Count"), max("Latest")
        FROM temp."{from}"
        GROUP BY "TenantId", "Metric", 3;
        """;

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = (int)RunCommandTimeout.TotalSeconds;
        AddParameter(command, "$from", fromId);
        AddParameter(command, "$to", toId);
        AddParameter(command, "$now", now.UtcTicks);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
