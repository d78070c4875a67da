using System.Data.Common;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data.Services.Metering;

/// <summary>SQL Server: buckets with <c>DATETRUNC</c> (SQL Server 2022 / Azure SQL) on UTC times, upserts with <c>MERGE … HOLDLOCK</c>.</summary>
public sealed class SqlServerRollupStore : IRollupStore
{
    private static readonly (string Granularity, string Part)[] Buckets = [("Hour", "hour"), ("Day", "day"), ("Month", "month")];

    /// <inheritdoc />
    public async Task AggregateAsync(DbConnection connection, DbTransaction transaction, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (granularity, part) in Buckets)
        {
            var bucket = $"TODATETIMEOFFSET(DATETRUNC({part}, CAST(SWITCHOFFSET([Timestamp], '+00:00') AS datetime2)), '+00:00')";
            await ExecuteAsync(connection, transaction, $"""
                MERGE [UsageRollups] WITH (HOLDLOCK) AS r
                USING (
                    SELECT [TenantId], [Metric], {bucket} AS [Bucket], SUM([Quantity]) AS [Sum], COUNT_BIG(*) AS [Count]
                    FROM [UsageEvents] WHERE [Id] > @from AND [Id] <= @to
                    GROUP BY [TenantId], [Metric], {bucket}
                ) AS n
                ON r.[TenantId] = n.[TenantId] AND r.[Metric] = n.[Metric] AND r.[Granularity] = '{granularity}' AND r.[PeriodStart] = n.[Bucket]
                WHEN MATCHED THEN UPDATE SET r.[Sum] = r.[Sum] + n.[Sum], r.[EventCount] = r.[EventCount] + n.[Count], r.[UpdatedAt] = @now
                WHEN NOT MATCHED THEN INSERT ([TenantId], [Metric], [Granularity], [PeriodStart], [Sum], [EventCount], [LevelHours], [UpdatedAt])
                    VALUES (n.[TenantId], n.[Metric], '{granularity}', n.[Bucket], n.[Sum], n.[Count], 0, @now);
                """, fromId, toId, now, cancellationToken);
            await ExecuteAsync(connection, transaction, $"""
                UPDATE r SET r.[LastValue] = n.[Quantity], r.[LastValueAt] = n.[Timestamp]
                FROM [UsageRollups] AS r
                JOIN (
                    SELECT [TenantId], [Metric], {bucket} AS [Bucket], [Quantity], [Timestamp],
                           ROW_NUMBER() OVER (PARTITION BY [TenantId], [Metric], {bucket} ORDER BY [Timestamp] DESC, [Id] DESC) AS [Rank]
                    FROM [UsageEvents]
                    WHERE [Id] > @from AND [Id] <= @to AND [Metric] IN ('StorageGb', 'Studies')
                ) AS n ON r.[TenantId] = n.[TenantId] AND r.[Metric] = n.[Metric] AND r.[Granularity] = '{granularity}' AND r.[PeriodStart] = n.[Bucket]
                WHERE n.[Rank] = 1 AND (r.[LastValueAt] IS NULL OR r.[LastValueAt] <= n.[Timestamp]);
                """, fromId, toId, now, cancellationToken);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
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
