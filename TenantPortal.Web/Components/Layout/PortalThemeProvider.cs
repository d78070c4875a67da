using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace TenantPortal.Web.Components.Layout;

/// <summary>
/// MudBlazor's theme provider that can also follow the browser's colour scheme before the circuit exists: with
/// <see cref="FollowSystem"/> it adds the dark palette's variables in a <c>&lt;style media="(prefers-color-scheme: dark)"&gt;</c>,
/// so a prerendered page is already dark on a dark system (MudBlazor's own detection needs JavaScript, hence the
/// circuit). Once the circuit knows the system's scheme, <see cref="MudThemeProvider.IsDarkMode"/> says the same thing.
/// Each theme style is about 12,000 characters (24 KB a copy): the system-dark one is built once per theme and shared by
/// every circuit, and the provider renders again only when its parameters change, not at every navigation (the layout
/// renders at each one), so that a circuit keeps one copy of its theme's style instead of three (about 50 KB a circuit).
/// </summary>
public sealed class PortalThemeProvider : MudThemeProvider
{
    private static readonly PropertyInfo[] PaletteProperties = typeof(Palette).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.CanWrite)
        .ToArray();

    // Per theme, weakly (a theme no longer used goes with its style); a theme is not changed once rendered
    // (PortalTheme.Theme is built once).
    private static readonly ConditionalWeakTable<MudTheme, string> SystemDarkStyles = new();

    private (MudTheme? Theme, bool? Dark, bool FollowSystem, bool DefaultScrollbar) _rendered;
    private (MudTheme? Theme, bool? Dark, bool FollowSystem, bool DefaultScrollbar) _parameters;
    private bool _hasRendered;

    /// <summary>When true (the person has not chosen a theme), a dark system gets the dark palette from the first paint.</summary>
    [Parameter] public bool FollowSystem { get; set; }

    /// <inheritdoc />
    public override Task SetParametersAsync(ParameterView parameters)
    {
        // What the render depends on, as the parent passes it (MudBlazor's parameter state is not read directly).
        _parameters = (
            parameters.TryGetValue<MudTheme>(nameof(Theme), out var theme) ? theme : null,
            parameters.TryGetValue<bool>(nameof(IsDarkMode), out var dark) ? dark : null,
            parameters.TryGetValue<bool>(nameof(FollowSystem), out var follow) && follow,
            parameters.TryGetValue<bool>(nameof(DefaultScrollbar), out var scrollbar) && scrollbar);
        return base.SetParametersAsync(parameters);
    }

    /// <inheritdoc />
    protected override bool ShouldRender() => !_hasRendered || _parameters != _rendered;

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        (_rendered, _hasRendered) = (_parameters, true);
        base.BuildRenderTree(builder);
        if (FollowSystem)
            builder.AddMarkupContent(100, SystemDarkStyles.GetValue(GetTheme(), _ => SystemDarkStyle()));
    }

    // The base renders the palette of its dark-mode state; rendered once with a theme whose both palettes are the dark
    // one, its style holds the dark variables whatever that state is.
    private string SystemDarkStyle()
    {
        var theme = GetTheme();
        var dark = new PaletteLight();
        foreach (var property in PaletteProperties)
            property.SetValue(dark, property.GetValue(theme.PaletteDark));
        var chosen = Theme;
        Theme = new MudTheme
        {
            PaletteLight = dark,
            PaletteDark = theme.PaletteDark,
            Typography = theme.Typography,
            LayoutProperties = theme.LayoutProperties,
            Shadows = theme.Shadows,
            ZIndex = theme.ZIndex,
            PseudoCss = theme.PseudoCss,
        };
        try
        {
            return BuildTheme()
                .Replace("<style class='mud-theme-provider'>", "<style class='portal-system-dark' media='(prefers-color-scheme: dark)'>", StringComparison.Ordinal)
                .Replace("--mud-native-html-color-scheme: light;", "--mud-native-html-color-scheme: dark;", StringComparison.Ordinal);
        }
        finally
        {
            Theme = chosen;
        }
    }
}
