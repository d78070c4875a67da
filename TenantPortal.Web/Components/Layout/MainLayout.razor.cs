using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace TenantPortal.Web.Components.Layout;

/// <summary>The portal shell: app bar with tenant switcher, dark-mode toggle and user menu; navigation drawer.</summary>
public partial class MainLayout
{
    private const string DarkModeKey = "tenantportal.darkMode";

    private bool _drawerOpen = true;
    private bool _darkMode;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive)
            return;
        // The choice is remembered in the browser; JS is only available once the circuit is interactive.
        var stored = await JS.InvokeAsync<string?>("localStorage.getItem", DarkModeKey);
        if (stored == "true")
        {
            _darkMode = true;
            StateHasChanged();
        }
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleDarkModeAsync()
    {
        _darkMode = !_darkMode;
        await JS.InvokeVoidAsync("localStorage.setItem", DarkModeKey, _darkMode ? "true" : "false");
    }
}
