using System.Data.Common;
using Npgsql;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// PostgreSQL: the events of the range are read once, aggregated into per-hour totals in a temporary table; the
/// days are summed from the hours and the months from the days (far fewer rows), and each level is then upserted into
/// the rollups in their key order (<c>INSERT … ON CONFLICT DO UPDATE</c> on their unique key). Cross-tenant for
/// row-level security, in the caller's transaction.
/// <para>
/// Buckets are UTC: hours and days are <c>date_bin</c> from a UTC origin at midnight of year 1 (integer arithmetic on
/// the instant, so no time zone is consulted and no instant lies before the origin), months are
/// <c>date_trunc('month', …, 'UTC')</c> of the days. Sums are exact <c>numeric</c>, never floating point.
/// </para>
/// <para>
/// A gauge bucket's latest reading is the greatest <c>numeric[]</c> key {instant in microseconds, id, quantity} among
/// its events (the latest time, then the latest id), with the instant itself as the greatest timestamp; it replaces
/// the stored reading only when that is not newer (a later run's reading of the same instant wins, as its id is higher).
/// </para>
/// <para>
/// The run's statements get <c>SET LOCAL</c> settings of their own (<see cref="RunSettings"/>): enough <c>work_mem</c>
/// for a run's aggregation to stay in memory, and no JIT compilation, which costs a run more than it saves.
/// </para>
/// </summary>
public sealed class PostgreSqlRollupStore : IRollupStore
{
    /// <summary>
    /// Events per run on PostgreSQL: a run reads its range once, so a larger run reads nothing twice and pays the per-run
    /// work fewer times (its temporary tables, and the job's level-hours recomputation of every tenant-month its gauge
    /// readings touch, which a backlog cut into small runs repeats for the same months). A run of 500,000 takes
    /// seconds on a loaded two-core machine (most of it writing the rollup rows), far within <see cref="RunCommandTimeout"/>.
    /// </summary>
    public const int RunSize = 500_000;

    /// <summary>
    /// The command timeout of a run's statements: Npgsql's default (30 s) is below what a run of <see cref="RunSize"/>
    /// events can take on a busy server; this is a stuck run, not a slow one.
    /// </summary>
    public static readonly TimeSpan RunCommandTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The run's settings, for the rest of its transaction: the hash aggregation of a run (about 520 bytes a group with
    /// its exact numeric sum; a hash table may take twice <c>work_mem</c>) stays in memory up to about 500,000 groups, and
    /// spills to disk past that (one group an event, the worst case, still finishes); JIT compilation (its estimated cost crosses the
    /// threshold at a run's size, and compiling takes longer than these statements run) is off.
    /// </summary>
    public const string RunSettings = "SET LOCAL work_mem = '128MB'; SET LOCAL jit = off";

    // The origin of the hour and day buckets: midnight UTC of year 1, before any instant .NET can hold.
    private const string Origin = "timestamptz '0001-01-01 00:00:00+00'";

    private static readonly (string Granularity, string Table)[] Levels = [("Hour", "RollupHour"), ("Day", "RollupDay"), ("Month", "RollupMonth")];

    /// <inheritdoc />
    public int MaxEventsPerRun => RunSize;

    /// <inheritdoc />
    public TimeSpan CommandTimeout => RunCommandTimeout;

    /// <inheritdoc />
    public async Task AggregateAsync(DbConnection connection, DbTransaction transaction, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Row-level security: a rollup reads and writes every tenant's rows, in the caller's transaction.
        await PostgreSqlTenantSetting.ApplyAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, tenantId: null, crossTenant: true, cancellationToken);
        foreach (var statement in Statements())
            await ExecuteAsync(connection, transaction, statement, fromId, toId, now, cancellationToken);
    }

    /// <summary>
    /// The statements of a run, in order: its settings, the one read of the events into hourly totals, the days from
    /// the hours, the months from the days, and the three upserts. Parameters <c>@from</c>, <c>@to</c> (bigint) and
    /// <c>@now</c> (timestamptz). The temporary tables go with the transaction (<c>ON COMMIT DROP</c>; a rollback drops them too).
    /// </summary>
    public static IReadOnlyList<string> Statements() =>
    [
        RunSettings,
        $"""
        CREATE TEMP TABLE "RollupHour" ON COMMIT DROP AS
        SELECT e."TenantId", e."Metric", date_bin('1 hour', e."Timestamp", {Origin}) AS "Bucket",
               SUM(e."Quantity") AS "Sum", COUNT(*) AS "Count",
               max(e."Timestamp") FILTER (WHERE e."Metric" IN ('StorageGb', 'Studies')) AS "LatestAt",
               max(ARRAY[extract(epoch FROM e."Timestamp") * 1000000, e."Id", e."Quantity"]) FILTER (WHERE e."Metric" IN ('StorageGb', 'Studies')) AS "Latest"
        FROM "UsageEvents" AS e WHERE e."Id" > @from AND e."Id" <= @to
        GROUP BY 1, 2, 3
        """,
        Derive("RollupDay", $"date_bin('1 day', \"Bucket\", {Origin})", "RollupHour"),
        Derive("RollupMonth", "date_trunc('month', \"Bucket\", 'UTC')", "RollupDay"),
        .. Levels.Select(level => Upsert(level.Granularity, level.Table)),
    ];

    // A coarser level summed from a finer one: exact sums and counts, the latest reading's key and instant.
    private static string Derive(string table, string bucket, string from) => $"""
        CREATE TEMP TABLE "{table}" ON COMMIT DROP AS
        SELECT "TenantId", "Metric", {bucket} AS "Bucket", SUM("Sum") AS "Sum", SUM("Count")::bigint AS "Count",
               max("LatestAt") AS "LatestAt", max("Latest") AS "Latest"
        FROM "{from}"
        GROUP BY 1, 2, 3
        """;

    // One level into the rollups in their key order: new buckets inserted, existing ones added to; a gauge's reading
    // moves only when the stored one is not newer.
    private static string Upsert(string granularity, string table) => $"""
        INSERT INTO "UsageRollups" AS r ("TenantId", "Metric", "Granularity", "PeriodStart", "Sum", "EventCount", "LevelHours", "LastValue", "LastValueAt", "UpdatedAt")
        SELECT t."TenantId", t."Metric", '{granularity}', t."Bucket", t."Sum", t."Count", 0, t."Latest"[3], t."LatestAt", @now
        FROM "{table}" AS t
        ORDER BY t."TenantId", t."Metric", t."Bucket"
        ON CONFLICT ("TenantId", "Metric", "Granularity", "PeriodStart") DO UPDATE SET
            "Sum" = r."Sum" + excluded."Sum",
            "EventCount" = r."EventCount" + excluded."EventCount",
            "LastValue" = CASE WHEN excluded."LastValueAt" IS NOT NULL AND (r."LastValueAt" IS NULL OR r."LastValueAt" <= excluded."LastValueAt")
                THEN excluded."LastValue" ELSE r."LastValue" END,
            "LastValueAt" = CASE WHEN excluded."LastValueAt" IS NOT NULL AND (r."LastValueAt" IS NULL OR r."LastValueAt" <= excluded."LastValueAt")
                THEN excluded."LastValueAt" ELSE r."LastValueAt" END,
            "UpdatedAt" = excluded."UpdatedAt"
        """;

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.CommandTimeout = (int)RunCommandTimeout.TotalSeconds;
        command.Parameters.Add(new NpgsqlParameter<long>("from", fromId));
        command.Parameters.Add(new NpgsqlParameter<long>("to", toId));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now.ToUniversalTime()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
