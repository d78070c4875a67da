using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;

namespace TenantPortal.Web.Components.Layout;

/// <summary>
/// The portal shell: app bar with tenant switcher, theme toggle, notification bell and user menu; the navigation drawer;
/// the page's one <c>main</c> landmark with a skip link to it. The theme is the person's choice from the theme cookie,
/// rendered on the server, or, until they choose, the browser's colour scheme.
/// </summary>
public partial class MainLayout : IDisposable
{
    private bool _drawerOpen = true;
    private bool _darkMode;
    private bool? _choice;
    private PortalThemeProvider? _themeProvider;
    private ElementReference _main;

    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The theme chosen in the cookie of the first request (true for dark), or null to follow the system.</summary>
    [CascadingParameter(Name = Routes.DarkModeChoice)] public bool? DarkModeChoice { get; set; }

    // The skip link's address is the page's own plus the fragment: with <base href="/">, a bare "#main-content" would
    // resolve to the home page.
    private string SkipLinkHref => Navigation.Uri.Split('#')[0] + "#main-content";

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        _choice = DarkModeChoice;
        _darkMode = _choice ?? false;
        Navigation.LocationChanged += OnLocationChanged;
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive || _choice is not null || _themeProvider is null)
            return;
        // No choice yet: the system's scheme (the prerendered page already showed it through a media query).
        var systemDark = await _themeProvider.GetSystemDarkModeAsync();
        if (_choice is null && systemDark != _darkMode)
        {
            _darkMode = systemDark;
            StateHasChanged();
        }
    }

    private void OnSystemDarkModeChanged(bool dark)
    {
        if (_choice is null)
            _darkMode = dark;
    }

    // Before the circuit, the link's own address scrolls to the content; inside it, Blazor would only scroll (it handles
    // same-page links itself), so the focus is moved here and the next Tab starts in the content.
    private async Task SkipToContentAsync() => await _main.FocusAsync();

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    // The cookie is written first, then the theme flips: once the page shows the new theme, a reload keeps it (flipping
    // first rendered the new theme at the first await, before the cookie was there).
    private async Task ToggleDarkModeAsync()
    {
        var dark = !_darkMode;
        await using var module = await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Layout/MainLayout.razor.js");
        await module.InvokeVoidAsync("rememberTheme", ThemeCookie.Name, ThemeCookie.ValueOf(dark));
        _darkMode = dark;
        _choice = dark;
    }

    // The skip link carries the page's address.
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => InvokeAsync(StateHasChanged);

    /// <inheritdoc />
    public void Dispose() => Navigation.LocationChanged -= OnLocationChanged;
}
