using Bunit;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Components.Layout;

namespace TenantPortal.Tests.Web.Layout;

/// <summary>
/// The theme provider keeps one copy of its theme's style per circuit: it renders again only when its parameters change
/// (not each time the layout renders, at every navigation), and the system-dark style is one string for every circuit.
/// </summary>
public class PortalThemeProviderTests : BunitTestContext
{
    [Fact]
    public void RenderingTheLayoutAgain_WithTheSameParameters_DoesNotRenderTheProviderAgain()
    {
        var provider = Render<PortalThemeProvider>(p => p
            .Add(x => x.Theme, PortalTheme.Theme)
            .Add(x => x.IsDarkMode, false)
            .Add(x => x.FollowSystem, true));
        var renders = provider.RenderCount;

        provider.Render(p => p
            .Add(x => x.Theme, PortalTheme.Theme)
            .Add(x => x.IsDarkMode, false)
            .Add(x => x.FollowSystem, true));

        Assert.Equal(renders, provider.RenderCount);
        Assert.Contains("--mud-native-html-color-scheme: light;", provider.Find("style.mud-theme-provider").TextContent);
    }

    [Fact]
    public void ChangingDarkMode_RendersTheDarkTheme_AndDroppingFollowSystem_DropsTheSystemDarkStyle()
    {
        var provider = Render<PortalThemeProvider>(p => p
            .Add(x => x.Theme, PortalTheme.Theme)
            .Add(x => x.IsDarkMode, false)
            .Add(x => x.FollowSystem, true));
        Assert.Single(provider.FindAll("style.portal-system-dark"));

        provider.Render(p => p
            .Add(x => x.Theme, PortalTheme.Theme)
            .Add(x => x.IsDarkMode, true)
            .Add(x => x.FollowSystem, false));

        Assert.Contains("--mud-native-html-color-scheme: dark;", provider.Find("style.mud-theme-provider").TextContent);
        Assert.Empty(provider.FindAll("style.portal-system-dark"));
    }

    [Fact]
    public void TheSystemDarkStyle_IsTheSameForEveryCircuit_AndHoldsTheDarkPalette()
    {
        var first = Render<PortalThemeProvider>(p => p.Add(x => x.Theme, PortalTheme.Theme).Add(x => x.FollowSystem, true));
        var second = Render<PortalThemeProvider>(p => p.Add(x => x.Theme, PortalTheme.Theme).Add(x => x.FollowSystem, true));

        var style = first.Find("style.portal-system-dark");
        Assert.Equal("(prefers-color-scheme: dark)", style.GetAttribute("media"));
        Assert.Contains("--mud-native-html-color-scheme: dark;", style.TextContent);
        Assert.Equal(style.TextContent, second.Find("style.portal-system-dark").TextContent);
    }
}
