using System.Text.Json;
using Microsoft.Playwright;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>
/// A browser on the production topology: three portal processes on one PostgreSQL database behind nginx over HTTPS
/// (the repository's nginx file, sticky sessions by the affinity cookie). When the instance holding a circuit stops, the
/// page says so (Blazor's reconnect UI) and, reloaded, works on another instance with the same sign-in.
/// </summary>
public sealed class ScaleOutBrowserTests(ScaleOutBehindNginx topology) : IClassFixture<ScaleOutBehindNginx>
{
    private const string Negotiate = "POST /_blazor/negotiate";

    [Fact]
    public async Task TheInstanceHoldingTheCircuitStops_ThePageShowsTheReconnectUi_AndAfterAReloadWorksOnAnotherInstance()
    {
        var cluster = topology.Cluster;
        var nginx = topology.Nginx;
        var tenant = await cluster.CreateTenantAsync(SubscriptionTier.Professional);
        var owner = await cluster.CreateMemberAsync(tenant, TenantRole.Owner);
        var usage = $"/t/{tenant.Slug}/usage";
        var ports = Enumerable.Range(0, ScaleOutCluster.InstanceCount).Select(i => cluster[i].Address.Port).ToList();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumLocator.Find(), Headless = true, Args = ChromiumLocator.Args });
        // nginx's certificate is self-signed, made for this run.
        await using var context = await browser.NewContextAsync(new()
        {
            BaseURL = nginx.Address.ToString(), IgnoreHTTPSErrors = true, ViewportSize = new() { Width = 1440, Height = 900 },
        });
        // What the reconnect UI shows, reported by the page as it changes (kept across reloads: the page may reload itself
        // once the other instance rejects the old circuit).
        var shown = new TaskCompletionSource<ReconnectDisplay>(TaskCreationOptions.RunContinuationsAsynchronously);
        var states = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await context.ExposeFunctionAsync("tenantPortalReconnectState", (string json) =>
        {
            states.Enqueue(json);
            var display = JsonSerializer.Deserialize<ReconnectDisplay>(json)!;
            if (display.State == "show")
                shown.TrySetResult(display);
        });
        var page = await context.NewPageAsync();
        BrowserSession.UseGenerousTimeouts(page);

        var logStart = nginx.AccessLog().Count;
        await BrowserSession.LogInAsync(page, owner, SessionAccounts.Password, usage);
        await Assertions.Expect(page.Locator("#usage-chart")).ToHaveAttributeAsync("data-metric", UsageMetrics.Name(UsageMetric.ApiCalls));
        // The circuit's instance: the one that answered its negotiation (every request of this browser carries the same
        // affinity cookie, so nginx sends them all to one instance).
        var holder = IndexOf(ports, await nginx.AnsweringPortAsync(Negotiate, logStart));
        await page.EvaluateAsync("""
            () => {
                const modal = document.getElementById('components-reconnect-modal');
                modal.addEventListener('components-reconnect-state-changed', e => {
                    const visible = [...modal.querySelectorAll('p')].filter(p => p.checkVisibility()).map(p => p.innerText.trim());
                    window.tenantPortalReconnectState(JSON.stringify({ State: e.detail.state, Open: modal.open, Text: visible.join(' ') }));
                });
            }
            """);

        var killedAt = nginx.AccessLog().Count;
        await cluster.KillAsync(holder);

        var display = await shown.Task.WaitAsync(TestTimeouts.Generous);
        Assert.True(display.Open, $"The reconnect dialog is not open: {string.Join(" | ", states)}");
        Assert.Contains("Rejoining the server", display.Text);

        await page.ReloadAsync();
        await page.ExpectPathAsync(usage);
        await BrowserSession.WaitForInteractiveAsync(page);
        var now = IndexOf(ports, await nginx.AnsweringPortAsync(Negotiate, killedAt));
        Assert.NotEqual(holder, now);
        await Assertions.Expect(page.Locator("#components-reconnect-modal")).Not.ToBeVisibleAsync();
        // Still the owner (the sign-in cookie works on every instance), and the tab answers: another metric's chart.
        await page.Locator("#chart-metric").GetByText(UsageMetrics.DisplayName(UsageMetric.GpuHours), new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#usage-chart")).ToHaveAttributeAsync("data-metric", UsageMetrics.Name(UsageMetric.GpuHours));
        await page.ExpectPathAsync(usage);
    }

    private static int IndexOf(IReadOnlyList<int> ports, int port)
    {
        var index = ports.ToList().IndexOf(port);
        Assert.True(index >= 0, $"nginx names port {port}, none of the instances' ({string.Join(", ", ports)}).");
        return index;
    }

    private sealed record ReconnectDisplay(string State, bool Open, string Text);
}
