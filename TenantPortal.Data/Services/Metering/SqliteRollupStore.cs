using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// SQLite: the events of the range are read once and summed in process by hash (<see cref="SqliteRollupAggregation"/>:
/// SQLite itself can only group by sorting, about 1.2 µs an event), then every hour, day and month bucket is upserted
/// into the rollups with one prepared statement stepped through SQLitePCL, in the unique index's key order. Times are
/// UTC ticks; decimals are text, summed exactly (whole numbers as integers, others as decimals) and written in EF Core's
/// text form. On a conflict two whole sums below 10^15 in size (text that reads back as the same integer) are added as
/// integers in SQL (no overflow possible), any other pair in EF Core's exact <c>ef_add</c> (a call into .NET per row);
/// a gauge bucket's latest reading replaces the stored one only when that is not newer.
/// </summary>
public sealed class SqliteRollupStore : IReportingRollupStore
{
    /// <summary>
    /// Events per run on SQLite: one writer, and a run of 1,000,000 takes about a second, so a backlog clears in few
    /// runs while the ingest writer waits for each only that long.
    /// </summary>
    public const int RunSize = 1_000_000;

    /// <summary>
    /// SQLite's command timeout is also how long a statement waits for the write lock: a run's statements take seconds,
    /// and the ingest writer's group commits hold the lock for milliseconds.
    /// </summary>
    public static readonly TimeSpan RunCommandTimeout = TimeSpan.FromSeconds(120);

    private const string UpsertSql = """
        INSERT INTO "UsageRollups" ("TenantId", "Metric", "Granularity", "PeriodStart", "Sum", "EventCount", "LevelHours", "LastValue", "LastValueAt", "UpdatedAt")
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, '0.0', ?7, ?8, ?9)
        ON CONFLICT ("TenantId", "Metric", "Granularity", "PeriodStart") DO UPDATE SET
            "Sum" = CASE WHEN length("Sum") <= 17 AND length(excluded."Sum") <= 17
                    AND CAST("Sum" AS INTEGER) || '.0' = "Sum" AND CAST(excluded."Sum" AS INTEGER) || '.0' = excluded."Sum"
                THEN (CAST("Sum" AS INTEGER) + CAST(excluded."Sum" AS INTEGER)) || '.0'
                ELSE ef_add("Sum", excluded."Sum") END,
            "EventCount" = "EventCount" + excluded."EventCount",
            "LastValue" = CASE WHEN excluded."LastValueAt" IS NOT NULL AND ("LastValueAt" IS NULL OR "LastValueAt" <= excluded."LastValueAt")
                THEN excluded."LastValue" ELSE "LastValue" END,
            "LastValueAt" = CASE WHEN excluded."LastValueAt" IS NOT NULL AND ("LastValueAt" IS NULL OR "LastValueAt" <= excluded."LastValueAt")
                THEN excluded."LastValueAt" ELSE "LastValueAt" END,
            "UpdatedAt" = excluded."UpdatedAt";
        """;

    /// <inheritdoc />
    public int MaxEventsPerRun => RunSize;

    /// <inheritdoc />
    public TimeSpan CommandTimeout => RunCommandTimeout;

    /// <inheritdoc />
    public Task AggregateAsync(DbConnection connection, DbTransaction transaction, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken) =>
        AggregateAndReportAsync(connection, transaction, fromId, toId, now, cancellationToken);

    /// <inheritdoc />
    public Task<RollupReport> AggregateAndReportAsync(DbConnection connection, DbTransaction transaction, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The statements run on the connection of the caller's transaction (SQLite: one transaction per connection), which
        // already holds the write lock (the watermark's compare-and-swap came first), so no step waits for a lock.
        var sqlite = (SqliteConnection)connection;
        if (sqlite.Handle is null || !ReferenceEquals(transaction.Connection, connection))
            throw new InvalidOperationException("The rollup runs in an open transaction of its connection.");
        var aggregation = SqliteRollupAggregation.Read(sqlite, fromId, toId, cancellationToken);
        // A run's upserts touch a few pages of every tenant's range of the rollups' index: a larger page cache keeps them
        // from spilling to the log before the commit. The pooled connection outlives the run: its cache is back to the default after.
        Pragma(sqlite, transaction, "PRAGMA cache_size = -65536;");
        try
        {
            Upsert(sqlite, aggregation, now, cancellationToken);
        }
        finally
        {
            Pragma(sqlite, transaction, "PRAGMA cache_size = -2000;");
        }
        return Task.FromResult(aggregation.Report());
    }

    private static void Pragma(SqliteConnection connection, DbTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Upsert(SqliteConnection connection, SqliteRollupAggregation aggregation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = new List<(int Tenant, int Metric, string Granularity, int Level, RollupBucket Bucket)>();
        var levels = aggregation.Levels();
        for (var level = 0; level < levels.Count; level++)
            foreach (var bucket in levels[level].Buckets)
                rows.Add((bucket.Tenant, bucket.Metric, levels[level].Granularity, level, bucket));
        // The unique index's key order (SQLite's BINARY collation is ordinal): each upsert lands next to the previous one.
        rows.Sort((a, b) =>
        {
            var order = string.CompareOrdinal(aggregation.Tenants[a.Tenant], aggregation.Tenants[b.Tenant]);
            if (order == 0)
                order = string.CompareOrdinal(aggregation.Metrics[a.Metric], aggregation.Metrics[b.Metric]);
            if (order == 0)
                order = string.CompareOrdinal(a.Granularity, b.Granularity);
            return order != 0 ? order : a.Bucket.Start.CompareTo(b.Bucket.Start);
        });

        var tenants = aggregation.Tenants.Select(t => System.Text.Encoding.UTF8.GetBytes(t)).ToArray();
        var granularities = levels.Select(l => System.Text.Encoding.UTF8.GetBytes(l.Granularity)).ToArray();
        Span<byte> sum = stackalloc byte[64];
        var db = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, UpsertSql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, db);
        using (statement)
        {
            SqliteRaw.Check(raw.sqlite3_bind_int64(statement, 9, now.UtcTicks), db);
            var boundTenant = -1;
            var boundMetric = -1;
            var boundLevel = -1;
            for (var i = 0; i < rows.Count; i++)
            {
                if ((i & 0xFFFF) == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                var (tenant, metric, _, level, bucket) = rows[i];
                if (tenant != boundTenant)
                    SqliteRaw.Check(raw.sqlite3_bind_text(statement, 1, tenants[boundTenant = tenant]), db);
                if (metric != boundMetric)
                    SqliteRaw.Check(raw.sqlite3_bind_text(statement, 2, aggregation.Metrics[boundMetric = metric]), db);
                if (level != boundLevel)
                    SqliteRaw.Check(raw.sqlite3_bind_text(statement, 3, granularities[boundLevel = level]), db);
                SqliteRaw.Check(raw.sqlite3_bind_int64(statement, 4, bucket.Start), db);
                SqliteRaw.Check(raw.sqlite3_bind_text(statement, 5, sum[..bucket.FormatSum(sum)]), db);
                SqliteRaw.Check(raw.sqlite3_bind_int64(statement, 6, bucket.Count), db);
                if (bucket.HasLatest)
                {
                    SqliteRaw.Check(raw.sqlite3_bind_text(statement, 7, bucket.LatestText!), db);
                    SqliteRaw.Check(raw.sqlite3_bind_int64(statement, 8, bucket.LatestTicks), db);
                }
                else
                {
                    SqliteRaw.Check(raw.sqlite3_bind_null(statement, 7), db);
                    SqliteRaw.Check(raw.sqlite3_bind_null(statement, 8), db);
                }
                rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE)
                    SqliteException.ThrowExceptionForRC(rc, db);
                raw.sqlite3_reset(statement);
            }
        }
    }
}
