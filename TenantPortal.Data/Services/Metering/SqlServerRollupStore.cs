using System.Data.Common;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// SQL Server: one batch per granularity. The events of the range are aggregated once into a table variable in the
/// rollups' key order, then upserted with <c>MERGE … HOLDLOCK</c> in chunks of <see cref="MergeChunkRows"/> buckets, and
/// the gauges' latest readings are moved in chunks too: SQL Server escalates a statement's row locks to a table lock at
/// about 5,000 locks on one table, which one statement over every bucket of a large run would reach, locking every
/// tenant's rollups (and the readers that don't use row versions) until the run commits. Buckets are computed with
/// <c>DATEADD</c>/<c>DATEDIFF</c> from a fixed UTC origin on UTC <c>datetime2</c> values (no <c>DATETRUNC</c>, which
/// needs SQL Server 2022): the batches use nothing newer than SQL Server 2016 (<c>sp_set_session_context</c> of the
/// row-level security prefix).
/// </summary>
public sealed class SqlServerRollupStore : IRollupStore
{
    /// <summary>
    /// Events per run on SQL Server: a run is one transaction holding the watermark row and the rollup rows it touched,
    /// and keeping row versions for the snapshot readers meanwhile; 100,000 events are seconds of work, and a backlog
    /// takes a run per 100,000 (the job runs until one is not full).
    /// </summary>
    public const int RunSize = 100_000;

    /// <summary>
    /// The command timeout of a run's statements: SqlClient's default (30 s) is below what a run of <see cref="RunSize"/>
    /// events can take on a busy server, where a timeout rolls the run back and the next run starts it again; this is a
    /// stuck run, not a slow one.
    /// </summary>
    public static readonly TimeSpan RunCommandTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Buckets per <c>MERGE</c> (and per gauge update): at most a few locks a bucket (its key and key-range locks on the
    /// clustered and the unique index), well below the 5,000 locks of one statement at which SQL Server escalates to a
    /// table lock. Escalation counts per statement, so a run of many chunks in one transaction never escalates.
    /// </summary>
    public const int MergeChunkRows = 1_000;

    // A fixed origin on an hour, day and month boundary: DATEDIFF counts the boundaries crossed since it (an int: hours
    // from 2000 reach 2^31 in the year 246,000), and DATEADD adds them back, which is the start of the bucket.
    private const string Origin = "CAST('2000-01-01T00:00:00' AS datetime2(7))";

    private static readonly (string Granularity, string Part)[] Buckets = [("Hour", "hour"), ("Day", "day"), ("Month", "month")];

    /// <inheritdoc />
    public int MaxEventsPerRun => RunSize;

    /// <inheritdoc />
    public TimeSpan CommandTimeout => RunCommandTimeout;

    /// <summary>
    /// The start of the UTC <paramref name="part"/> (hour, day or month) that a <c>datetimeoffset</c> column falls in, as a
    /// <c>datetimeoffset</c> at +00:00.
    /// </summary>
    public static string BucketSql(string part, string column)
    {
        var utc = $"CAST(SWITCHOFFSET({column}, '+00:00') AS datetime2(7))";
        return $"TODATETIMEOFFSET(DATEADD({part}, DATEDIFF({part}, {Origin}, {utc}), {Origin}), '+00:00')";
    }

    /// <summary>The batch that rolls the events of (@from, @to] into the rollups of one granularity.</summary>
    public static string AggregateSql(string granularity, string part)
    {
        var bucket = BucketSql(part, "[Timestamp]");
        return $"""
            SET NOCOUNT ON;
            DECLARE @n TABLE ([Seq] int NOT NULL PRIMARY KEY, [TenantId] uniqueidentifier NOT NULL, [Metric] nvarchar(20) NOT NULL,
                [Bucket] datetimeoffset NOT NULL, [Sum] decimal(38, 6) NOT NULL, [Count] bigint NOT NULL);
            INSERT INTO @n ([Seq], [TenantId], [Metric], [Bucket], [Sum], [Count])
            SELECT ROW_NUMBER() OVER (ORDER BY [TenantId], [Metric], {bucket}), [TenantId], [Metric], {bucket}, SUM([Quantity]), COUNT_BIG(*)
            FROM [UsageEvents] WHERE [Id] > @from AND [Id] <= @to
            GROUP BY [TenantId], [Metric], {bucket};
            DECLARE @rows int = @@ROWCOUNT, @at int = 0;
            WHILE @at < @rows
            BEGIN
                MERGE [UsageRollups] WITH (HOLDLOCK) AS r
                USING (SELECT [TenantId], [Metric], [Bucket], [Sum], [Count] FROM @n WHERE [Seq] > @at AND [Seq] <= @at + {MergeChunkRows}) AS n
                ON r.[TenantId] = n.[TenantId] AND r.[Metric] = n.[Metric] AND r.[Granularity] = '{granularity}' AND r.[PeriodStart] = n.[Bucket]
                WHEN MATCHED THEN UPDATE SET r.[Sum] = r.[Sum] + n.[Sum], r.[EventCount] = r.[EventCount] + n.[Count], r.[UpdatedAt] = @now
                WHEN NOT MATCHED THEN INSERT ([TenantId], [Metric], [Granularity], [PeriodStart], [Sum], [EventCount], [LevelHours], [UpdatedAt])
                    VALUES (n.[TenantId], n.[Metric], '{granularity}', n.[Bucket], n.[Sum], n.[Count], 0, @now);
                SET @at = @at + {MergeChunkRows};
            END;
            DECLARE @g TABLE ([Seq] int NOT NULL PRIMARY KEY, [TenantId] uniqueidentifier NOT NULL, [Metric] nvarchar(20) NOT NULL,
                [Bucket] datetimeoffset NOT NULL, [Quantity] decimal(20, 6) NOT NULL, [Timestamp] datetimeoffset NOT NULL);
            INSERT INTO @g ([Seq], [TenantId], [Metric], [Bucket], [Quantity], [Timestamp])
            SELECT ROW_NUMBER() OVER (ORDER BY l.[TenantId], l.[Metric], l.[Bucket]), l.[TenantId], l.[Metric], l.[Bucket], l.[Quantity], l.[Timestamp]
            FROM (
                SELECT [TenantId], [Metric], {bucket} AS [Bucket], [Quantity], [Timestamp],
                       ROW_NUMBER() OVER (PARTITION BY [TenantId], [Metric], {bucket} ORDER BY [Timestamp] DESC, [Id] DESC) AS [Rank]
                FROM [UsageEvents]
                WHERE [Id] > @from AND [Id] <= @to AND [Metric] IN ('StorageGb', 'Studies')
            ) AS l
            WHERE l.[Rank] = 1;
            SELECT @rows = @@ROWCOUNT, @at = 0;
            WHILE @at < @rows
            BEGIN
                UPDATE r SET r.[LastValue] = n.[Quantity], r.[LastValueAt] = n.[Timestamp]
                FROM [UsageRollups] AS r
                JOIN @g AS n ON r.[TenantId] = n.[TenantId] AND r.[Metric] = n.[Metric] AND r.[Granularity] = '{granularity}' AND r.[PeriodStart] = n.[Bucket]
                WHERE n.[Seq] > @at AND n.[Seq] <= @at + {MergeChunkRows} AND (r.[LastValueAt] IS NULL OR r.[LastValueAt] <= n.[Timestamp]);
                SET @at = @at + {MergeChunkRows};
            END;
            """;
    }

    /// <inheritdoc />
    public async Task AggregateAsync(DbConnection connection, DbTransaction transaction, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (granularity, part) in Buckets)
            await ExecuteAsync(connection, transaction, AggregateSql(granularity, part), fromId, toId, now, cancellationToken);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = (int)RunCommandTimeout.TotalSeconds;
        // Not an EF Core command, so not intercepted: the rollup reads and writes every tenant's rows (the job's cross-tenant scope).
        TenantSessionContext.Apply(command, tenantId: null, crossTenant: true);
        foreach (var (name, value) in new (string, object)[] { ("@from", fromId), ("@to", toId), ("@now", now) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
