using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TenantPortal.Data.Tenancy;

/// <summary>
/// SQL Server: starts every command EF Core sends (queries, saves, ExecuteUpdate/Delete; sync and async) with
/// <see cref="TenantSessionContext.Prefix"/>, valued from the context's <see cref="PortalDbContext.Tenant"/> at execution time,
/// so the row-level security policy sees the tenant the code works for now: per command, never per connection, because a
/// pooled connection carries the session context of whoever used it last. A cross-tenant scope clears the tenant and sets
/// CrossTenant = 1 (operator and job work). Migration commands are left alone: CREATE FUNCTION and CREATE SECURITY POLICY
/// must start their batch, and migrations run as the deployment login, which RLS does not need to restrict.
/// </summary>
public sealed class TenantSessionContextInterceptor : DbCommandInterceptor
{
    /// <inheritdoc />
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Apply(command, eventData);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Apply(command, eventData);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Apply(command, eventData);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Apply(command, eventData);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Apply(command, eventData);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Apply(command, eventData);
        return ValueTask.FromResult(result);
    }

    private static void Apply(DbCommand command, CommandEventData eventData)
    {
        if (eventData.CommandSource == CommandSource.Migrations)
            return;
        TenantSessionContext.Apply(command, (eventData.Context as PortalDbContext)?.Tenant);
    }
}
