using MudBlazor;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Members;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>Addresses, labels and the role needed for each tenant tab; shared by the tab bar and the navigation menu.</summary>
public static class TenantTabs
{
    /// <summary>Every tab, in the order shown.</summary>
    public static readonly IReadOnlyList<TenantTab> All = Enum.GetValues<TenantTab>();

    /// <summary>The tab's address relative to the base, e.g. <c>t/acme/users</c>.</summary>
    public static string Path(string slug, TenantTab tab) =>
        tab == TenantTab.Overview ? $"t/{Uri.EscapeDataString(slug)}" : $"t/{Uri.EscapeDataString(slug)}/{Segment(tab)}";

    /// <summary>The last segment of the tab's address (empty for the overview).</summary>
    public static string Segment(TenantTab tab) => tab == TenantTab.Overview ? "" : tab.ToString().ToLowerInvariant();

    /// <summary>The tab's label.</summary>
    public static string Label(TenantTab tab) => tab.ToString();

    /// <summary>The element id of the tab, for tests and deep links: <c>tab-users</c>.</summary>
    public static string ElementId(TenantTab tab) => $"tab-{tab.ToString().ToLowerInvariant()}";

    /// <summary>The tab's icon.</summary>
    public static string Icon(TenantTab tab) => tab switch
    {
        TenantTab.Overview => Icons.Material.Filled.Dashboard,
        TenantTab.Usage => Icons.Material.Filled.Insights,
        TenantTab.Users => Icons.Material.Filled.Group,
        TenantTab.Billing => Icons.Material.Filled.CreditCard,
        _ => Icons.Material.Filled.Settings,
    };

    /// <summary>
    /// The permission that shows the tab. Settings is open to every member because it holds "Leave";
    /// its sections check their own permissions.
    /// </summary>
    public static TenantPermission Permission(TenantTab tab) => tab switch
    {
        TenantTab.Usage => TenantPermission.ViewUsage,
        TenantTab.Users => TenantPermission.ViewTeam,
        TenantTab.Billing => TenantPermission.ViewBilling,
        _ => TenantPermission.ViewOverview,
    };

    /// <summary>True when a member with the role sees the tab.</summary>
    public static bool IsVisibleTo(TenantTab tab, TenantRole role) => RolePolicy.Allows(role, Permission(tab));

    /// <summary>The tabs a member with the role sees.</summary>
    public static IReadOnlyList<TenantTab> VisibleTo(TenantRole role) => All.Where(t => IsVisibleTo(t, role)).ToList();
}
