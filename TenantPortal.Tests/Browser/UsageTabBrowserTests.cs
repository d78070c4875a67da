using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

[Collection(PortalCollection.Name)]
public partial class UsageTabBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task UsageTab_ShowsUsageReportedThroughTheApi_WithoutAReload()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme/usage");
        var gpuBar = page.Locator(".usage-bar[data-metric='gpu_hours']");
        await gpuBar.WaitForAsync();
        await Assertions.Expect(page.Locator("#usage-chart")).ToBeVisibleAsync();
        await session.SaveScreenshotAsync("acme-usage.png", fullPage: true);
        var before = UsedIn(await gpuBar.InnerTextAsync());
        await page.EvaluateAsync("() => window.usageTabNotReloaded = true");

        using var api = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);
        var response = await api.PostAsJsonAsync("/api/v1/usage", new
        {
            events = new[]
            {
                new { id = $"browser-gpu-{Guid.NewGuid():N}", metric = "gpu_hours", quantity = 5, timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var expected = Format(before + 5);
        await Assertions.Expect(gpuBar).ToContainTextAsync($"{expected} /");
        Assert.True(await page.EvaluateAsync<bool>("() => window.usageTabNotReloaded === true"));
        await session.SaveScreenshotAsync("acme-usage-after-report.png");
    }

    // "123.5 / 200 h (61.8 %)" -> 123.5; the bar formats with the server's culture, which is this process's.
    private static decimal UsedIn(string barText) =>
        decimal.Parse(UsedPattern().Match(barText).Groups[1].Value, NumberStyles.Number, CultureInfo.CurrentCulture);

    // As the usage bar formats a quantity.
    private static string Format(decimal value) => value == Math.Truncate(value) ? value.ToString("N0") : value.ToString("N1");

    [GeneratedRegex(@"([\d.,]+)\s*/")]
    private static partial Regex UsedPattern();
}
