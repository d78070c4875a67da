using Microsoft.AspNetCore.Components;
using TenantPortal.Data.Services;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>The frame of the tenant tabs: header and a tab bar whose tabs are addresses.</summary>
public partial class TenantShell
{
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The tenant slug from the route.</summary>
    [Parameter, EditorRequired] public string Slug { get; set; } = "";

    /// <summary>The tab this address shows.</summary>
    [Parameter, EditorRequired] public TenantTab Tab { get; set; }

    /// <summary>The tab's content, once the user's access to the tenant is checked.</summary>
    [Parameter, EditorRequired] public RenderFragment<TenantAccess> ChildContent { get; set; } = default!;

    // -1 (no tab selected) when the address is a tab the role doesn't see.
    private int IndexOf(TenantAccess access) => TenantTabs.VisibleTo(access.Role).ToList().IndexOf(Tab);

    // Selecting a tab (click or keyboard) goes to its address. Without a selected tab, MudTabs selects the first one
    // by itself: that must not navigate, so then only a click does.
    private void OnTabChanged(TenantAccess access, int index)
    {
        var tabs = TenantTabs.VisibleTo(access.Role);
        if (IndexOf(access) >= 0 && index >= 0 && index < tabs.Count)
            GoTo(access, tabs[index]);
    }

    private void OnTabClicked(TenantAccess access, TenantTab tab)
    {
        if (IndexOf(access) < 0)
            GoTo(access, tab);
    }

    private void GoTo(TenantAccess access, TenantTab tab)
    {
        if (tab != Tab)
            Navigation.NavigateTo(TenantTabs.Path(access.Slug, tab));
    }
}
