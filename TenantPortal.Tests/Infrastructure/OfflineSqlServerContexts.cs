using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// SQL Server contexts over one <see cref="RecordingDbConnection"/>: EF Core's SQL Server code path (its SQL, its
/// transactions and their isolation levels) without a server. The first query whose text <see cref="StopAt"/> matches
/// stops with <see cref="QueryStopped"/>, naming the isolation level of the transaction it ran in; other queries run
/// against the connection's recorded answers.
/// </summary>
public sealed class OfflineSqlServerContexts(TenantContext tenant, Func<string, bool> stopAt) : IDbContextFactory<PortalDbContext>
{
    public RecordingDbConnection Connection { get; } = new();

    public TenantContext Tenant => tenant;

    public Func<string, bool> StopAt => stopAt;

    public PortalDbContext CreateDbContext() => new SqlServerPortalDbContext(
        new DbContextOptionsBuilder<SqlServerPortalDbContext>().UseSqlServer(Connection).AddInterceptors(new Stopper(stopAt)).Options, tenant);

    private sealed class Stopper(Func<string, bool> stopAt) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            stopAt(command.CommandText) ? throw new QueryStopped(command.CommandText, command.Transaction?.IsolationLevel) : ValueTask.FromResult(result);
    }
}

/// <summary>An offline SQL Server query stopped where the test looks: its text and its transaction's isolation (null: none).</summary>
public sealed class QueryStopped(string sql, IsolationLevel? isolation) : Exception($"Stopped at: {sql}")
{
    public string Sql => sql;

    public IsolationLevel? Isolation => isolation;
}
