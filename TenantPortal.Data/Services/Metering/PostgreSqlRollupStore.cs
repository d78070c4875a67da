using System.Data.Common;
using Npgsql;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// PostgreSQL: set-based, one statement per granularity and one for the gauges' latest readings. Buckets are
/// <c>date_trunc(…, "Timestamp", 'UTC')</c> (hours, days and months of UTC); sums are exact <c>numeric</c>; the rollups are
/// upserted with <c>INSERT … ON CONFLICT DO UPDATE</c> on their unique key. Cross-tenant for row-level security, in the caller's transaction.
/// </summary>
public sealed class PostgreSqlRollupStore : IRollupStore
{
    /// <summary>
    /// Events per run on PostgreSQL: measured at about 12,000 events a second on a loaded two-core machine
    /// (BENCHMARKS.md), a run of 100,000 takes seconds, holds the watermark row and the rollup rows it touched briefly,
    /// and a backlog takes a run per 100,000 (the job runs until one is not full).
    /// </summary>
    public const int RunSize = 100_000;

    /// <summary>
    /// The command timeout of a run's statements: Npgsql's default (30 s) is below what a run of <see cref="RunSize"/>
    /// events can take on a busy server; this is a stuck run, not a slow one.
    /// </summary>
    public static readonly TimeSpan RunCommandTimeout = TimeSpan.FromMinutes(5);

    private static readonly (string Granularity, string Part)[] Buckets = [("Hour", "hour"), ("Day", "day"), ("Month", "month")];

    /// <inheritdoc />
    public int MaxEventsPerRun => RunSize;

    /// <inheritdoc />
    public TimeSpan CommandTimeout => RunCommandTimeout;

    /// <inheritdoc />
    public async Task AggregateAsync(DbConnection connection, DbTransaction transaction, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Row-level security: a rollup reads and writes every tenant's rows, in the caller's transaction.
        await PostgreSqlTenantSetting.ApplyAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, tenantId: null, crossTenant: true, cancellationToken);
        foreach (var (granularity, part) in Buckets)
        {
            var bucket = $"date_trunc('{part}', e.\"Timestamp\", 'UTC')";
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO "UsageRollups" AS r ("TenantId", "Metric", "Granularity", "PeriodStart", "Sum", "EventCount", "LevelHours", "UpdatedAt")
                SELECT e."TenantId", e."Metric", '{granularity}', {bucket}, SUM(e."Quantity"), COUNT(*), 0, @now
                FROM "UsageEvents" AS e WHERE e."Id" > @from AND e."Id" <= @to
                GROUP BY e."TenantId", e."Metric", {bucket}
                ORDER BY e."TenantId", e."Metric", {bucket}
                ON CONFLICT ("TenantId", "Metric", "Granularity", "PeriodStart")
                DO UPDATE SET "Sum" = r."Sum" + excluded."Sum", "EventCount" = r."EventCount" + excluded."EventCount", "UpdatedAt" = excluded."UpdatedAt"
                """, fromId, toId, now, cancellationToken);
            await ExecuteAsync(connection, transaction, $"""
                UPDATE "UsageRollups" AS r SET "LastValue" = n."Quantity", "LastValueAt" = n."Timestamp"
                FROM (
                    SELECT DISTINCT ON (e."TenantId", e."Metric", {bucket}) e."TenantId", e."Metric", {bucket} AS "Bucket", e."Quantity", e."Timestamp"
                    FROM "UsageEvents" AS e
                    WHERE e."Id" > @from AND e."Id" <= @to AND e."Metric" IN ('StorageGb', 'Studies')
                    ORDER BY e."TenantId", e."Metric", {bucket}, e."Timestamp" DESC, e."Id" DESC
                ) AS n
                WHERE r."TenantId" = n."TenantId" AND r."Metric" = n."Metric" AND r."Granularity" = '{granularity}' AND r."PeriodStart" = n."Bucket"
                  AND (r."LastValueAt" IS NULL OR r."LastValueAt" <= n."Timestamp")
                """, fromId, toId, now, cancellationToken);
        }
    }

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
