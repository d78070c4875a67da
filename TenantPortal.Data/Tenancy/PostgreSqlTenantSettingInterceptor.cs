using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TenantPortal.Data.Tenancy;

/// <summary>
/// PostgreSQL: sets the tenant settings that the row-level security policies read (<see cref="PostgreSqlTenantSetting"/>)
/// for every command EF Core sends (queries, saves, ExecuteUpdate/Delete, raw SQL; sync and async), valued from the
/// context's <see cref="PortalDbContext.Tenant"/> at execution time and scoped to the command's transaction, never to the
/// pooled connection. Most commands get the <see cref="PostgreSqlTenantSetting.Prefix"/> statement before their own text
/// (no extra round trip). SaveChanges batches can't: Npgsql's provider reads each modification's row count by statement
/// position, so the settings go first as a command of their own in the batch's transaction (the PostgreSQL context always
/// saves in one). A cross-tenant scope clears the tenant and sets the flag (operator and job work). Migration commands are
/// left alone: migrations run as the schema's owner, and the first ones run before any policy exists.
/// </summary>
public sealed class PostgreSqlTenantSettingInterceptor : DbCommandInterceptor
{
    /// <inheritdoc />
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        ApplyAsync(command, eventData, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    /// <inheritdoc />
    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await ApplyAsync(command, eventData, async: true, cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        ApplyAsync(command, eventData, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    /// <inheritdoc />
    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await ApplyAsync(command, eventData, async: true, cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        ApplyAsync(command, eventData, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    /// <inheritdoc />
    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await ApplyAsync(command, eventData, async: true, cancellationToken);
        return result;
    }

    // Synchronous callers pass async: false, so the ValueTask has completed when it returns (no blocking on I/O).
    private static ValueTask ApplyAsync(DbCommand command, CommandEventData eventData, bool async, CancellationToken cancellationToken)
    {
        if (eventData.CommandSource == CommandSource.Migrations || command.CommandType != System.Data.CommandType.Text)
            return ValueTask.CompletedTask;
        var tenant = (eventData.Context as PortalDbContext)?.Tenant;
        if (eventData.CommandSource == CommandSource.SaveChanges)
            return PostgreSqlTenantSetting.ApplyBeforeAsync(command, tenant, async, cancellationToken);
        PostgreSqlTenantSetting.ApplyPrefix(command, tenant);
        return ValueTask.CompletedTask;
    }
}
