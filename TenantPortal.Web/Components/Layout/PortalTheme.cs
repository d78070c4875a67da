using MudBlazor;

namespace TenantPortal.Web.Components.Layout;

/// <summary>The portal's colours, light and dark.</summary>
public static class PortalTheme
{
    /// <summary>The theme.</summary>
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3F51B5",
            Secondary = "#00897B",
            AppbarBackground = "#283593",
            Background = "#F5F6FA",
            DrawerBackground = "#FFFFFF",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7986CB",
            Secondary = "#4DB6AC",
            AppbarBackground = "#1E1E2D",
            Background = "#151521",
            Surface = "#1E1E2D",
            DrawerBackground = "#1E1E2D",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
