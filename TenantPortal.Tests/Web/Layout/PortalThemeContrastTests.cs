using MudBlazor;
using MudBlazor.Utilities;
using TenantPortal.Web.Components.Layout;

namespace TenantPortal.Tests.Web.Layout;

/// <summary>
/// Every text/background pair the portal's components draw from <see cref="PortalTheme"/>, in the light and the dark
/// palette, reaches WCAG 2 AA for normal text (4.5:1). The pairs follow MudBlazor's stylesheet: a filled button, chip or
/// alert is <c>--mud-palette-X-text</c> on <c>--mud-palette-X</c>; a text or outlined button or chip and a link is X on the
/// surface or the page background; a text chip is X on <c>X-hover</c> (X at the hover opacity) over the surface; a text or
/// outlined alert is <c>X-darken</c> on <c>X-hover</c> / the surface; the active drawer link is primary on the default
/// hover; secondary text is TextSecondary on every background.
/// </summary>
public class PortalThemeContrastTests
{
    private const double AaNormalText = 4.5;

    private static readonly string[] ColorNames = ["Primary", "Secondary", "Info", "Success", "Warning", "Error"];

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (mode, palette) in Palettes())
            foreach (var pair in PairsOf(palette))
                data.Add(mode, pair.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Pair_ReachesAaContrast_InBothPalettes(string mode, string pairName)
    {
        var palette = Palettes().Single(p => p.Mode == mode).Palette;
        var pair = PairsOf(palette).Single(p => p.Name == pairName);

        var ratio = ContrastRatio(pair.Text, pair.Background);

        Assert.True(ratio >= AaNormalText,
            $"{mode}: {pair.Name} is {ratio:0.00}:1 ({Hex(Over(pair.Text, pair.Background))} on {Hex(pair.Background)}); WCAG AA needs {AaNormalText}:1.");
    }

    [Theory]
    [InlineData("#FFFFFF", "#000000", 21.0)]
    [InlineData("#FFFFFF", "#00C853", 2.24)]
    [InlineData("#FFFFFF", "#2196F3", 3.12)]
    [InlineData("#FFFFFF", "#F44336", 3.68)]
    public void ContrastRatio_MatchesTheWcagFormula(string text, string background, double expected) =>
        Assert.Equal(expected, ContrastRatio(new MudColor(text), new MudColor(background)), precision: 2);

    private static IEnumerable<(string Mode, Palette Palette)> Palettes() =>
        [("light", PortalTheme.Theme.PaletteLight), ("dark", PortalTheme.Theme.PaletteDark)];

    private static IEnumerable<(string Name, MudColor Text, MudColor Background)> PairsOf(Palette p)
    {
        MudColor Color(string name) => (MudColor)typeof(Palette).GetProperty(name)!.GetValue(p)!;
        MudColor Text(string name) => Color(name + "ContrastText");
        MudColor Darken(string name) => new((string)typeof(Palette).GetProperty(name + "Darken")!.GetValue(p)!);
        MudColor Hover(string name, MudColor under) => Over(Color(name).SetAlpha(p.HoverOpacity), under);

        foreach (var name in ColorNames)
        {
            yield return ($"{name}ContrastText on {name} (filled button, chip, alert)", Text(name), Color(name));
            foreach (var (backgroundName, background) in new[] { ("Surface", p.Surface), ("Background", p.Background) })
            {
                yield return ($"{name} on {backgroundName} (text/outlined button and chip, link)", Color(name), background);
                yield return ($"{name} on {name} hover over {backgroundName} (text chip)", Color(name), Hover(name, background));
                yield return ($"{name}Darken on {name} hover over {backgroundName} (text alert)", Darken(name), Hover(name, background));
                yield return ($"{name}Darken on {backgroundName} (outlined alert)", Darken(name), background);
            }
        }
        foreach (var (backgroundName, background) in new[] { ("Surface", p.Surface), ("Background", p.Background), ("DrawerBackground", p.DrawerBackground) })
        {
            yield return ($"TextPrimary on {backgroundName}", p.TextPrimary, background);
            yield return ($"TextSecondary on {backgroundName}", p.TextSecondary, background);
        }
        yield return ("AppbarText on AppbarBackground", p.AppbarText, p.AppbarBackground);
        yield return ("DrawerText on DrawerBackground", p.DrawerText, p.DrawerBackground);
        yield return ("Primary on the active drawer link (default hover over DrawerBackground)", p.Primary,
            Over(p.ActionDefault.SetAlpha(p.HoverOpacity), p.DrawerBackground));
    }

    // WCAG 2: (L1 + 0.05) / (L2 + 0.05) with L the relative luminance; a translucent text colour is blended over its background first.
    private static double ContrastRatio(MudColor text, MudColor background)
    {
        var (a, b) = (Luminance(Over(text, background)), Luminance(background));
        return (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
    }

    private static double Luminance(MudColor c) => 0.2126 * Linear(c.R) + 0.7152 * Linear(c.G) + 0.0722 * Linear(c.B);

    private static double Linear(byte channel)
    {
        var v = channel / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
    }

    private static MudColor Over(MudColor top, MudColor under)
    {
        var alpha = top.APercentage;
        byte Mix(byte t, byte u) => (byte)Math.Round(t * alpha + u * (1 - alpha));
        return new MudColor(Mix(top.R, under.R), Mix(top.G, under.G), Mix(top.B, under.B), (byte)255);
    }

    private static string Hex(MudColor c) => $"#{c.R:X2}{c.G:X2}{c.B:X2}";
}
