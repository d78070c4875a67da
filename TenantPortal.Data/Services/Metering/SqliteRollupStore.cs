using System.Data.Common;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// SQLite: times are UTC ticks, so hours and days are integer arithmetic; months go through strftime. Decimals are stored
/// as text, so sums use EF Core's exact decimal functions (<c>ef_sum</c>, <c>ef_add</c>) rather than floating point.
/// </summary>
public sealed class SqliteRollupStore : IRollupStore
{
    private const long TicksPerHour = 36_000_000_000;
    private const long TicksPerDay = 864_000_000_000;
    private const string UnixEpochTicks = "621355968000000000";

    // The first instant of the UTC month of a ticks value, in ticks.
    private const string MonthOf = "(CAST(strftime('%s', strftime('%Y-%m-01', (\"Timestamp\" - " + UnixEpochTicks + ") / 10000000, 'unixepoch')) AS INTEGER) * 10000000 + " + UnixEpochTicks + ")";

    private static readonly (string Granularity, string Bucket)[] Buckets =
    [
        ("Hour", $"(\"Timestamp\" / {TicksPerHour}) * {TicksPerHour}"),
        ("Day", $"(\"Timestamp\" / {TicksPerDay}) * {TicksPerDay}"),
        ("Month", MonthOf),
    ];

    /// <inheritdoc />
    public async Task AggregateAsync(DbConnection connection, DbTransaction transaction, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (granularity, bucket) in Buckets)
        {
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO "UsageRollups" ("TenantId", "Metric", "Granularity", "PeriodStart", "Sum", "EventCount", "LevelHours", "UpdatedAt")
                SELECT "TenantId", "Metric", '{granularity}', {bucket}, ef_sum("Quantity"), COUNT(*), '0.0', $now
                FROM "UsageEvents" WHERE "Id" > $from AND "Id" <= $to
                GROUP BY "TenantId", "Metric", {bucket}
                ON CONFLICT ("TenantId", "Metric", "Granularity", "PeriodStart") DO UPDATE SET
                    "Sum" = ef_add("Sum", excluded."Sum"),
                    "EventCount" = "EventCount" + excluded."EventCount",
                    "UpdatedAt" = excluded."UpdatedAt";
                """, fromId, toId, now, cancellationToken);

            // The latest reading of each gauge bucket among the new events replaces the stored one only when it is newer.
            await ExecuteAsync(connection, transaction, $"""
                UPDATE "UsageRollups" AS r SET "LastValue" = n."Quantity", "LastValueAt" = n."Timestamp"
                FROM (
                    SELECT "TenantId", "Metric", {bucket} AS "Bucket", "Quantity", "Timestamp",
                           ROW_NUMBER() OVER (PARTITION BY "TenantId", "Metric", {bucket} ORDER BY "Timestamp" DESC, "Id" DESC) AS "Rank"
                    FROM "UsageEvents"
                    WHERE "Id" > $from AND "Id" <= $to AND "Metric" IN ('StorageGb', 'Studies')
                ) AS n
                WHERE n."Rank" = 1 AND r."TenantId" = n."TenantId" AND r."Metric" = n."Metric" AND r."Granularity" = '{granularity}'
                  AND r."PeriodStart" = n."Bucket" AND (r."LastValueAt" IS NULL OR r."LastValueAt" <= n."Timestamp");
                """, fromId, toId, now, cancellationToken);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
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
