using MudBlazor;

namespace TenantPortal.Web.Components.Layout;

/// <summary>
/// The portal's colours, light and dark. Every colour that carries text reaches WCAG AA (4.5:1) with the text drawn on
/// it and as text on the surface and the page background (PortalThemeContrastTests checks each pair): in the light
/// palette the colours are dark shades with white text; in the dark palette they are light shades with dark text, and
/// their "darken" (used by text alerts and by a filled button under the pointer) is a lighter shade still, so that it stays
/// readable on the dark surface. Buttons keep the case their label is written in (sentence case), not upper case.
/// </summary>
public static class PortalTheme
{
    private const string DarkText = "#151521";

    /// <summary>The theme.</summary>
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3F51B5",
            Secondary = "#00695C",
            Info = "#1565C0",
            Success = "#1B7340",
            Warning = "#8A5C00",
            Error = "#C62828",
            TextSecondary = "#5C5F6E",
            AppbarBackground = "#283593",
            Background = "#F5F6FA",
            DrawerBackground = "#FFFFFF",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#9FA8DA",
            PrimaryContrastText = DarkText,
            PrimaryDarken = "#C5CAE9",
            Secondary = "#4DB6AC",
            SecondaryContrastText = DarkText,
            SecondaryDarken = "#80CBC4",
            Info = "#64B5F6",
            InfoContrastText = DarkText,
            InfoDarken = "#90CAF9",
            Success = "#66BB6A",
            SuccessContrastText = DarkText,
            SuccessDarken = "#A5D6A7",
            Warning = "#FFB74D",
            WarningContrastText = DarkText,
            WarningDarken = "#FFCC80",
            Error = "#EF9A9A",
            ErrorContrastText = DarkText,
            ErrorDarken = "#FFCDD2",
            TextSecondary = "rgba(255,255,255,0.62)",
            DrawerText = "rgba(255,255,255,0.70)",
            AppbarBackground = "#1E1E2D",
            Background = "#151521",
            Surface = "#1E1E2D",
            DrawerBackground = "#1E1E2D",
        },
        Typography = new Typography { Button = new ButtonTypography { TextTransform = "none" } },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
