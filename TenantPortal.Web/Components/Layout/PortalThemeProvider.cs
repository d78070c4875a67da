using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace TenantPortal.Web.Components.Layout;

/// <summary>
/// MudBlazor's theme provider that can also follow the browser's colour scheme before the circuit exists: with
/// <see cref="FollowSystem"/> it adds the dark palette's variables in a <c>&lt;style media="(prefers-color-scheme: dark)"&gt;</c>,
/// so a prerendered page is already dark on a dark system (MudBlazor's own detection needs JavaScript, hence the
/// circuit). Once the circuit knows the system's scheme, <see cref="MudThemeProvider.IsDarkMode"/> says the same thing.
/// </summary>
public sealed class PortalThemeProvider : MudThemeProvider
{
    private static readonly PropertyInfo[] PaletteProperties = typeof(Palette).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.CanWrite)
        .ToArray();

    private string? _systemDarkStyle;
    private MudTheme? _systemDarkStyleOf;

    /// <summary>When true (the person has not chosen a theme), a dark system gets the dark palette from the first paint.</summary>
    [Parameter] public bool FollowSystem { get; set; }

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        base.BuildRenderTree(builder);
        if (FollowSystem)
            builder.AddMarkupContent(100, SystemDarkStyle());
    }

    // The base renders the palette of its dark-mode state; rendered once with a theme whose both palettes are the dark
    // one, its style holds the dark variables whatever that state is.
    private string SystemDarkStyle()
    {
        var theme = GetTheme();
        if (_systemDarkStyle is not null && ReferenceEquals(_systemDarkStyleOf, theme))
            return _systemDarkStyle;
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
            _systemDarkStyle = BuildTheme()
                .Replace("<style class='mud-theme-provider'>", "<style class='portal-system-dark' media='(prefers-color-scheme: dark)'>", StringComparison.Ordinal)
                .Replace("--mud-native-html-color-scheme: light;", "--mud-native-html-color-scheme: dark;", StringComparison.Ordinal);
        }
        finally
        {
            Theme = chosen;
        }
        _systemDarkStyleOf = theme;
        return _systemDarkStyle;
    }
}
