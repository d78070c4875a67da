using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Tenancy;

/// <summary>
/// The per-transaction settings that PostgreSQL's row-level security policies read
/// (<see cref="Migrations.PostgreSqlRowLevelSecurity"/>): <c>tenantportal.tenant_id</c> (the tenant's id, or empty) and
/// <c>tenantportal.cross_tenant</c> (<c>on</c> in a cross-tenant scope, else <c>off</c>). Always set with
/// <c>set_config(…, true)</c>, so that they end with the transaction and never stay on a pooled connection: a statement that
/// runs without them sees no tenant's row and can write none. Set by <see cref="PostgreSqlTenantSettingInterceptor"/> for
/// EF Core and by <see cref="ApplyAsync"/> in the raw ADO.NET stores.
/// </summary>
public static class PostgreSqlTenantSetting
{
    /// <summary>The setting holding the current tenant's id (empty when none, and in a cross-tenant scope).</summary>
    public const string TenantIdSetting = "tenantportal.tenant_id";

    /// <summary>The setting holding <c>on</c> in a cross-tenant scope (operators, jobs), else <c>off</c>.</summary>
    public const string CrossTenantSetting = "tenantportal.cross_tenant";

    // The prefix's dollar-quote tag: the prefix ends with it, so a command already prefixed is recognised and re-valued.
    private const string PrefixEnd = "END $tenantportal_rls$;\n";

    /// <summary>
    /// Sets both settings for the rest of <paramref name="transaction"/> (one round trip), for a raw ADO.NET store: call it
    /// first in the transaction, before the store's statements (COPY included). The tenant is cleared when
    /// <paramref name="crossTenant"/>.
    /// </summary>
    public static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid? tenantId, bool crossTenant,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // Outside a transaction set_config(…, true) would end with its own statement and protect nothing after it.
        ArgumentNullException.ThrowIfNull(transaction);
        var (tenantText, crossText) = Values(tenantId, crossTenant);
        await using var command = new NpgsqlCommand(
            $"SELECT set_config('{TenantIdSetting}', @tenant, true), set_config('{CrossTenantSetting}', @cross, true)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", NpgsqlDbType.Text) { TypedValue = tenantText });
        command.Parameters.Add(new NpgsqlParameter<string>("cross", NpgsqlDbType.Text) { TypedValue = crossText });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The statement put before a command's own text: a <c>DO</c> block calling <c>set_config(…, true)</c>. It returns no
    /// result set (a reader, a scalar and a row count see only the command's own statements) and, unlike <c>SET LOCAL</c>,
    /// raises no warning outside a transaction block: Npgsql sends a command's statements before one Sync, so they share one
    /// implicit transaction and the setting holds for the statements after it, and ends with them. The values are formatted
    /// here (a Guid in its "D" form, <c>on</c>/<c>off</c>), never taken from text.
    /// </summary>
    public static string Prefix(Guid? tenantId, bool crossTenant)
    {
        var (tenantText, crossText) = Values(tenantId, crossTenant);
        return $"DO $tenantportal_rls$ BEGIN PERFORM set_config('{TenantIdSetting}', '{tenantText}', true), "
            + $"set_config('{CrossTenantSetting}', '{crossText}', true); {PrefixEnd}";
    }

    /// <summary>Prefixes <paramref name="command"/> with <see cref="Prefix"/> for <paramref name="tenant"/> (replacing an earlier prefix).</summary>
    public static void ApplyPrefix(DbCommand command, ITenantContext? tenant)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (tenantId, crossTenant) = TenantSessionContext.ValuesFor(tenant);
        var text = command.CommandText ?? "";
        // A command run again (a retried strategy, a reused command) gets the values of now.
        if (text.StartsWith("DO $tenantportal_rls$", StringComparison.Ordinal) && text.IndexOf(PrefixEnd, StringComparison.Ordinal) is var end and >= 0)
            text = text[(end + PrefixEnd.Length)..];
        command.CommandText = Prefix(tenantId, crossTenant) + text;
    }

    /// <summary>
    /// Sets both settings for <paramref name="tenant"/> with a command of its own in <paramref name="command"/>'s transaction:
    /// for EF Core's SaveChanges batches, whose statements Npgsql's provider matches to its commands by position (a prefix
    /// statement would shift them).
    /// </summary>
    public static async ValueTask ApplyBeforeAsync(DbCommand command, ITenantContext? tenant, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Transaction is null)
            throw new InvalidOperationException(
                "A SaveChanges command ran outside a transaction, where the tenant setting of row-level security can't be set before it. "
                + "PostgreSqlPortalDbContext sets AutoTransactionBehavior.Always; keep it.");
        var (tenantId, crossTenant) = TenantSessionContext.ValuesFor(tenant);
        await using var set = command.Connection!.CreateCommand();
        set.Transaction = command.Transaction;
        set.CommandText = Prefix(tenantId, crossTenant);
        if (async)
            await set.ExecuteNonQueryAsync(cancellationToken);
        else
            set.ExecuteNonQuery();
    }

    private static (string TenantId, string CrossTenant) Values(Guid? tenantId, bool crossTenant) =>
        (crossTenant || tenantId is not { } id ? "" : id.ToString("D"), crossTenant ? "on" : "off");
}
