using Microsoft.AspNetCore.Components;
using TenantPortal.Data.Services;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>The frame of the tenant tabs: header and a tab bar whose tabs are links to their addresses.</summary>
public partial class TenantShell
{
    /// <summary>The tenant slug from the route.</summary>
    [Parameter, EditorRequired] public string Slug { get; set; } = "";

    /// <summary>The tab this address shows.</summary>
    [Parameter, EditorRequired] public TenantTab Tab { get; set; }

    /// <summary>The tab's content, once the user's access to the tenant is checked.</summary>
    [Parameter, EditorRequired] public RenderFragment<TenantAccess> ChildContent { get; set; } = default!;
}
