using MudBlazor;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Members;

namespace TenantPortal.Web.Components.Tenant.Settings;

/// <summary>Addresses, labels and the permission that shows each Settings section; the section's services check again.</summary>
public static class SettingsSections
{
    /// <summary>Every section, in the order shown.</summary>
    public static readonly IReadOnlyList<SettingsSection> All = Enum.GetValues<SettingsSection>();

    /// <summary>The section's segment of the address: <c>general</c>, <c>security</c>, <c>api-keys</c>, <c>domains</c>, <c>scim</c>, <c>audit-log</c>, <c>webhooks</c>, <c>danger-zone</c>.</summary>
    public static string Segment(SettingsSection section) => section switch
    {
        SettingsSection.General => "general",
        SettingsSection.Security => "security",
        SettingsSection.ApiKeys => "api-keys",
        SettingsSection.Domains => "domains",
        SettingsSection.Scim => "scim",
        SettingsSection.SingleSignOn => "sso",
        SettingsSection.AuditLog => "audit-log",
        SettingsSection.Webhooks => "webhooks",
        _ => "danger-zone",
    };

    /// <summary>The section named by <paramref name="segment"/> (exact, lower case), or null for none.</summary>
    public static SettingsSection? Parse(string? segment) =>
        All.Select(s => (SettingsSection?)s).FirstOrDefault(s => string.Equals(Segment(s!.Value), segment, StringComparison.Ordinal));

    /// <summary>The section's address relative to the base, e.g. <c>t/acme/settings/api-keys</c>.</summary>
    public static string Path(string slug, SettingsSection section) =>
        $"{TenantTabs.Path(slug, TenantTab.Settings)}/{Segment(section)}";

    /// <summary>The section's label.</summary>
    public static string Label(SettingsSection section) => section switch
    {
        SettingsSection.General => "General",
        SettingsSection.Security => "Security",
        SettingsSection.ApiKeys => "API keys",
        SettingsSection.Domains => "Domains",
        SettingsSection.Scim => "Provisioning (SCIM)",
        SettingsSection.SingleSignOn => "Single sign-on",
        SettingsSection.AuditLog => "Audit log",
        SettingsSection.Webhooks => "Webhooks",
        _ => "Danger zone",
    };

    /// <summary>The section's icon.</summary>
    public static string Icon(SettingsSection section) => section switch
    {
        SettingsSection.General => Icons.Material.Filled.Tune,
        SettingsSection.Security => Icons.Material.Filled.Security,
        SettingsSection.ApiKeys => Icons.Material.Filled.Key,
        SettingsSection.Domains => Icons.Material.Filled.Domain,
        SettingsSection.Scim => Icons.Material.Filled.SyncAlt,
        SettingsSection.SingleSignOn => Icons.Material.Filled.VpnKey,
        SettingsSection.AuditLog => Icons.Material.Filled.History,
        SettingsSection.Webhooks => Icons.Material.Filled.Webhook,
        _ => Icons.Material.Filled.WarningAmber,
    };

    /// <summary>The permission that shows the section (General and the danger zone, which holds "Leave", are for every member).</summary>
    public static TenantPermission Permission(SettingsSection section) => section switch
    {
        SettingsSection.Security => TenantPermission.ManageSecurity,
        SettingsSection.ApiKeys => TenantPermission.ManageApiKeys,
        SettingsSection.Domains => TenantPermission.ManageIdentity,
        SettingsSection.Scim => TenantPermission.ManageIdentity,
        SettingsSection.SingleSignOn => TenantPermission.ManageIdentity,
        SettingsSection.AuditLog => TenantPermission.ViewAuditLog,
        SettingsSection.Webhooks => TenantPermission.ViewWebhooks,
        _ => TenantPermission.ViewOverview,
    };

    /// <summary>True when a member with the role sees the section.</summary>
    public static bool IsVisibleTo(SettingsSection section, TenantRole role) => RolePolicy.Allows(role, Permission(section));

    /// <summary>The sections a member with the role sees, in order; the first is what <c>/t/{slug}/settings</c> opens.</summary>
    public static IReadOnlyList<SettingsSection> VisibleTo(TenantRole role) => All.Where(s => IsVisibleTo(s, role)).ToList();
}
