using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Tenancy;

/// <summary>
/// The SQL Server session context that the row-level security policy reads: <c>SESSION_CONTEXT(N'TenantId')</c> and
/// <c>SESSION_CONTEXT(N'CrossTenant')</c>. Set at the start of every command (never once per pooled connection, which
/// can carry a stale tenant), both by <see cref="TenantSessionContextInterceptor"/> for EF Core and by the raw ADO.NET stores.
/// </summary>
public static class TenantSessionContext
{
    /// <summary>The session-context key holding the current tenant's id (NULL when none, and in a cross-tenant scope).</summary>
    public const string TenantIdKey = "TenantId";

    /// <summary>The session-context key holding 1 in a cross-tenant scope (operators, jobs), else 0.</summary>
    public const string CrossTenantKey = "CrossTenant";

    /// <summary>The parameter carrying the tenant id; named so that it can't clash with EF Core's (@p0, @__x_0) or ours.</summary>
    public const string TenantIdParameter = "@__rls_tenant";

    /// <summary>The parameter carrying the cross-tenant flag.</summary>
    public const string CrossTenantParameter = "@__rls_cross";

    /// <summary>The statements put before a command's own text.</summary>
    public const string Prefix =
        $"EXEC sp_set_session_context @key = N'{TenantIdKey}', @value = {TenantIdParameter}; " +
        $"EXEC sp_set_session_context @key = N'{CrossTenantKey}', @value = {CrossTenantParameter};\n";

    /// <summary>
    /// The values the policy must see for this tenant context: in a cross-tenant scope the tenant is cleared (NULL) and the
    /// flag is 1 (operator and job work); otherwise the tenant (or NULL when none is resolved, which shows no tenant's row) and 0.
    /// </summary>
    public static (Guid? TenantId, bool CrossTenant) ValuesFor(ITenantContext? tenant) =>
        tenant is null ? (null, false) : tenant.IsCrossTenant ? (null, true) : (tenant.TenantId, false);

    /// <summary>Prefixes the command with the session-context statements and adds their two parameters, valued for <paramref name="tenant"/>.</summary>
    public static void Apply(DbCommand command, ITenantContext? tenant)
    {
        var (tenantId, crossTenant) = ValuesFor(tenant);
        Apply(command, tenantId, crossTenant);
    }

    /// <summary>
    /// Prefixes a raw ADO.NET command with the session-context statements for the given values (the tenant is cleared when
    /// <paramref name="crossTenant"/>). The session context stays on the connection's session after the command, so a
    /// <c>SqlBulkCopy</c> on the same connection right after a prefixed command works under the same values.
    /// </summary>
    public static void Apply(DbCommand command, Guid? tenantId, bool crossTenant)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.CommandType != CommandType.Text)
            return;
        if (crossTenant)
            tenantId = null;
        object tenantValue = tenantId is { } id ? id : DBNull.Value;
        if (command.CommandText.StartsWith(Prefix, StringComparison.Ordinal) && command.Parameters.Contains(TenantIdParameter))
        {
            // A command run again (a retried strategy, a reused command) gets the values of now.
            command.Parameters[TenantIdParameter].Value = tenantValue;
            command.Parameters[CrossTenantParameter].Value = crossTenant;
            return;
        }
        command.CommandText = Prefix + command.CommandText;
        command.Parameters.Add(Parameter(command, TenantIdParameter, DbType.Guid, tenantValue));
        command.Parameters.Add(Parameter(command, CrossTenantParameter, DbType.Boolean, crossTenant));
    }

    private static DbParameter Parameter(DbCommand command, string name, DbType type, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value;
        // sp_set_session_context takes sql_variant: a typed parameter keeps uniqueidentifier and bit, which the predicate casts back.
        if (parameter is SqlParameter sql)
            sql.SqlDbType = type == DbType.Guid ? SqlDbType.UniqueIdentifier : SqlDbType.Bit;
        return parameter;
    }
}
