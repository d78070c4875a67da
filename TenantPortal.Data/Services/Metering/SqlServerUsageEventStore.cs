using System.Data;
using System.Data.Common;
using System.Text;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// SQL Server: <c>INSERT … SELECT … WHERE NOT EXISTS</c> under UPDLOCK/HOLDLOCK in one transaction, so that two
/// requests racing with the same id serialise on the key and the second inserts nothing. The transaction enters the
/// <see cref="IUsageCommitBarrier"/> before its first insert, so that a rollup never passes an id it may still commit.
/// </summary>
/// <remarks>
/// The probe takes key-range locks on the unique (TenantId, ClientEventId) index row by row and holds them to the commit.
/// Two batches of one tenant taking them in arrival order would deadlock (1205) as soon as they share ids in opposite
/// orders, so the batch is sent in ONE order across all its statements: ordinal, which for the ids the ingestion rules
/// accept (no control characters, no surrounding whitespace) is the order of the column's binary collation
/// (<see cref="SqlServerPortalDbContext.ClientEventIdCollation"/>: UTF-16 code units), the index's own order. The first
/// statement holds the lowest ids, the last the highest; as <see cref="PostgreSqlUsageEventStore"/> does. Within a
/// statement the plan probes in that order (nested loops over the VALUES rows) or in the index's (a merge or hash join
/// over the tenant's range): the same order either way, so every lock a batch waits for lies past those it holds. An id repeated
/// in the batch is sent once, with its first occurrence: two equal rows in one statement would both pass the probe and
/// the second break the unique index (2601), failing the batch on every retry.
/// </remarks>
public sealed class SqlServerUsageEventStore(IDbContextFactory<PortalDbContext> contexts, IUsageCommitBarrier barrier) : IUsageEventStore
{
    // 5 parameters a row; SQL Server allows 2,100 parameters a command.
    private const int RowsPerStatement = 400;

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredUsageEvent>> InsertNewAsync(Guid tenantId, IReadOnlyList<UsageEventInput> events, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            var inserted = await InsertAsync(connection, transaction, tenantId, events, receivedAt, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (IReadOnlyList<StoredUsageEvent>)inserted;
        });
    }

    /// <summary>
    /// The statements of one batch, in its transaction (which the caller commits): the barrier, then the inserts of the
    /// batch's distinct ids in ordinal order.
    /// </summary>
    internal async Task<List<StoredUsageEvent>> InsertAsync(DbConnection connection, DbTransaction transaction, Guid tenantId,
        IReadOnlyList<UsageEventInput> events, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await barrier.EnterIngestAsync(connection, transaction, cancellationToken);
        // Distinct first (the first occurrence of an id wins), then sorted: OrderBy is stable, but it sees each id once.
        var seen = new HashSet<string>(events.Count, StringComparer.Ordinal);
        var ordered = events.Where(e => seen.Add(e.ClientEventId)).OrderBy(e => e.ClientEventId, StringComparer.Ordinal).ToArray();
        var inserted = new List<StoredUsageEvent>(ordered.Length);
        foreach (var chunk in ordered.Chunk(RowsPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder("INSERT INTO [UsageEvents] ([TenantId], [ClientEventId], [Metric], [Quantity], [Timestamp], [ReceivedAt]) OUTPUT inserted.[Id], inserted.[ClientEventId] SELECT @t, v.c, v.m, v.q, v.s, @r FROM (VALUES ");
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : ",").Append($"(@c{i},@m{i},@q{i},@s{i})");
                command.Parameters.Add(new SqlParameter($"@c{i}", SqlDbType.NVarChar, 128) { Value = chunk[i].ClientEventId });
                command.Parameters.Add(new SqlParameter($"@m{i}", SqlDbType.NVarChar, 20) { Value = chunk[i].Metric.ToString() });
                command.Parameters.Add(new SqlParameter($"@q{i}", SqlDbType.Decimal) { Precision = 20, Scale = UsageBatchRules.MaxQuantityDecimals, Value = chunk[i].Quantity });
                command.Parameters.Add(new SqlParameter($"@s{i}", SqlDbType.DateTimeOffset) { Value = chunk[i].Timestamp.ToUniversalTime() });
            }
            // The column's binary collation decides already (a column's collation takes precedence over a parameter's);
            // said here too, so that the probe never compares under the database's default. The same collation on both
            // sides keeps it a seek on the unique index.
            sql.Append(") AS v(c, m, q, s) WHERE NOT EXISTS (SELECT 1 FROM [UsageEvents] e WITH (UPDLOCK, HOLDLOCK) WHERE e.[TenantId] = @t AND e.[ClientEventId] = v.c COLLATE ")
                .Append(SqlServerPortalDbContext.ClientEventIdCollation).Append(");");
            command.Parameters.Add(new SqlParameter("@t", SqlDbType.UniqueIdentifier) { Value = tenantId });
            command.Parameters.Add(new SqlParameter("@r", SqlDbType.DateTimeOffset) { Value = receivedAt.ToUniversalTime() });
            command.CommandText = sql.ToString();
            // Not an EF Core command, so not intercepted: the row-level security policy gets the API key's tenant here.
            TenantSessionContext.Apply(command, tenantId, crossTenant: false);
            var byId = chunk.ToDictionary(e => e.ClientEventId, StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var e = byId[reader.GetString(1)];
                inserted.Add(new StoredUsageEvent(reader.GetInt64(0), e.Metric, e.Quantity, e.Timestamp));
            }
        }
        return inserted;
    }
}
