using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>
/// The Content-Security-Policy fits Blazor Server and MudBlazor: signing in, every tenant tab and the operator pages
/// (the Hangfire dashboard included) run without a single violation reported by the browser.
/// </summary>
[Collection(PortalCollection.Name)]
public class CspBrowserTests(PortalAppFactory portal)
{
    private static readonly string[] TenantTabs = ["usage", "users", "settings", "billing"];
    private static readonly string[] OpsPages = ["/ops/tenants", "/ops/jobs", "/ops/audit", "/ops/invoices", "/ops/billing/events", "/ops/operators", "/ops"];

    [Fact]
    public async Task TenantPages_RunWithoutCspViolations()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var violations = await WatchAsync(session.Page);

        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme");
        await Assertions.Expect(session.Page.Locator("#tab-usage")).ToBeVisibleAsync();
        foreach (var tab in TenantTabs)
        {
            // Inside the circuit, as a person clicks...
            await session.Page.ClickAsync($"#tab-{tab}");
            await session.Page.ExpectPathAsync($"/t/acme/{tab}");
            // The shell marks the tab once it has switched to it (before that, a click on the next tab could be lost).
            await Assertions.Expect(session.Page.Locator($"#tab-{tab}[aria-current='page']")).ToBeVisibleAsync();
        }
        foreach (var tab in TenantTabs.Prepend(""))
        {
            // ...and as a fresh load, which renders the import map and starts a new circuit.
            await session.Page.GotoAsync($"/t/acme/{tab}".TrimEnd('/'));
            await session.WaitForInteractiveAsync();
        }

        await AssertNoneAsync(session.Page, violations);
    }

    [Fact]
    public async Task OperatorPages_AndTheJobsDashboard_RunWithoutCspViolations()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var violations = await WatchAsync(session.Page);

        await session.LogInAsync(PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword, "/ops");
        foreach (var path in OpsPages)
        {
            await session.Page.GotoAsync(path);
            await session.WaitForInteractiveAsync();
        }
        foreach (var path in new[] { "/hangfire", "/hangfire/recurring", "/hangfire/jobs/succeeded" })
        {
            await session.Page.GotoAsync(path);
            await Assertions.Expect(session.Page.Locator("#stats, .js-jobs-list, .page-header").First).ToBeVisibleAsync();
        }

        await AssertNoneAsync(session.Page, violations);
    }

    [Fact]
    public async Task ApiReference_RendersTheDocument_WithoutCspViolations()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var violations = await WatchAsync(session.Page);

        await session.Page.GotoAsync("/api/docs/");

        // Scalar fetched /openapi/v1.json and rendered it: the document's description and its operation groups.
        await Assertions.Expect(session.Page.GetByText("report usage and check quotas").First).ToBeVisibleAsync();
        await Assertions.Expect(session.Page.GetByText("Subscription", new() { Exact = true }).First).ToBeAttachedAsync();
        // Scalar's bundle probes whether it may compile code (Zod's `try { Function('') } catch`) and falls back when it
        // may not: that probe is the one report the page's policy is meant to produce.
        lock (violations)
            violations.RemoveAll(v => v.StartsWith("script-src blocked eval", StringComparison.Ordinal) && v.Contains("/api/docs/scalar.js", StringComparison.Ordinal));
        await AssertNoneAsync(session.Page, violations);
    }

    [Fact]
    public async Task AnInjectedInlineScript_IsBlockedAndReported()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var violations = await WatchAsync(session.Page);
        await session.Page.GotoAsync("/Account/Login");

        var ran = await session.Page.EvaluateAsync<bool>(
            "() => { window.__ran = false; const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.head.appendChild(s); return window.__ran; }");
        await session.Page.EvaluateAsync("() => new Promise(r => setTimeout(r, 0))");

        Assert.False(ran);
        Assert.Contains(violations, v => v.StartsWith("script-src", StringComparison.Ordinal));
    }

    // Every securitypolicyviolation event of every document the page loads, and the console's CSP errors.
    private static async Task<List<string>> WatchAsync(IPage page)
    {
        var violations = new List<string>();
        await page.ExposeFunctionAsync("__cspViolation", (string violation) =>
        {
            lock (violations)
                violations.Add(violation);
        });
        await page.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => window.__cspViolation(`${e.effectiveDirective} blocked ${e.blockedURI} at ${e.documentURI} (${e.sourceFile}:${e.lineNumber})`));");
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                lock (violations)
                    violations.Add("console: " + message.Text);
        };
        return violations;
    }

    private static async Task AssertNoneAsync(IPage page, List<string> violations)
    {
        // Let events already queued in the page reach the test before looking.
        await page.EvaluateAsync("() => new Promise(r => setTimeout(r, 0))");
        lock (violations)
            Assert.True(violations.Count == 0, "CSP violations:\n" + string.Join('\n', violations));
    }
}
