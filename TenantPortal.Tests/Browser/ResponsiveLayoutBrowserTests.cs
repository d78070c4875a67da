using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>
/// Layouts that used to break at a given width: the usage chart on a phone, the fleet grid on a 1440 px screen and the
/// fleet's filters on a phone.
/// </summary>
[Collection(PortalCollection.Name)]
public class ResponsiveLayoutBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task UsageChart_OnAPhone_HasReadableAxisLabels_AndFillsItsBox()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await page.SetViewportSizeAsync(390, 844);
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme/usage");
        await PortalPages.OpenAsync(page, "/t/acme/usage");
        await page.Locator("#usage-chart svg text").First.WaitForAsync();

        var chart = await page.EvaluateAsync<double[]>(
            """
            () => {
                const svg = document.querySelector('#usage-chart svg');
                const labels = [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height).filter(h => h > 0);
                const plot = svg.getBBox();
                const box = svg.getBoundingClientRect();
                // Drawn size of the plot against the svg's box: 1 when the drawing fills it (no empty bands).
                const scale = Math.min(box.width / svg.viewBox.baseVal.width, box.height / svg.viewBox.baseVal.height);
                // Axis labels that run into each other, and the legend or summary running into the drawing.
                const rects = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => t.getBoundingClientRect());
                const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
                let crowded = 0;
                for (let i = 0; i < rects.length; i++)
                    for (let j = i + 1; j < rects.length; j++)
                        if (meet(rects[i], rects[j])) crowded++;
                const below = document.querySelector('#chart-summary').getBoundingClientRect();
                return [Math.min(...labels), (plot.height * scale) / box.height, box.width, crowded, below.top >= box.bottom ? 1 : 0];
            }
            """);

        Assert.True(chart[0] >= 11, $"The chart's smallest axis label is {chart[0]:0.#} px high on a 390 px phone.");
        Assert.True(chart[1] >= 0.8, $"The chart's drawing fills {chart[1]:P0} of its box's height on a 390 px phone.");
        Assert.True(chart[2] <= 390, $"The chart is {chart[2]:0} px wide.");
        Assert.True(chart[3] == 0, $"{chart[3]} pairs of the chart's labels overlap on a 390 px phone.");
        Assert.True(chart[4] == 1, "The text under the chart runs into the chart on a 390 px phone.");
    }

    [Fact]
    public async Task FleetGrid_At1440Pixels_ShowsEveryColumnWithoutScrolling()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        var account = await new PortalPages(portal).AccountOfAsync(PortalVisitor.Operator);
        await PortalPages.SignInAsync(page, account, "/ops/tenants");
        await PortalPages.OpenAsync(page, "/ops/tenants");
        await page.Locator("#fleet-table tbody tr").First.WaitForAsync();

        var hidden = await page.EvaluateAsync<string[]>(
            """
            () => {
                const container = document.querySelector('#fleet-table .mud-table-container');
                const right = container.getBoundingClientRect().right;
                return [...document.querySelectorAll('#fleet-table thead th')]
                    .filter(th => th.getBoundingClientRect().right > right + 1)
                    .map(th => th.textContent.trim());
            }
            """);

        Assert.True(hidden.Length == 0, "Columns cut off at 1440 px: " + string.Join(", ", hidden));
        Assert.True(await page.Locator("#fleet-table tbody tr").First.Locator(".fleet-row-actions button").IsVisibleAsync());
    }

    [Fact]
    public async Task FleetFilters_OnAPhone_WrapWithoutCoveringTheSummaryOrTheRows()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await page.SetViewportSizeAsync(390, 844);
        var account = await new PortalPages(portal).AccountOfAsync(PortalVisitor.Operator);
        await PortalPages.SignInAsync(page, account, "/ops/tenants");
        await PortalPages.OpenAsync(page, "/ops/tenants");
        await page.Locator("#fleet-table tbody tr").First.WaitForAsync();

        var overlaps = await page.EvaluateAsync<string[]>(
            """
            () => {
                const boxes = el => el.getBoundingClientRect();
                const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
                const controls = ['fleet-search', 'fleet-tier', 'fleet-status', 'fleet-quota', 'fleet-trial', 'fleet-pastdue']
                    .map(id => document.getElementById(id)).filter(e => e)
                    .map(e => e.closest('.mud-switch') ?? e.closest('.mud-input-control') ?? e);
                if (controls.length !== 6) return [`found ${controls.length} of the 6 filters`];
                const others = [...document.querySelectorAll('#fleet-summary > *, #fleet-table tbody tr')];
                const found = [];
                for (const c of controls)
                    for (const o of others)
                        if (meet(boxes(c), boxes(o)))
                            found.push(`${c.querySelector('[id]')?.id ?? c.id} over ${o.textContent.trim().slice(0, 30)}`);
                // And the filters stay within the screen.
                for (const c of controls)
                    if (boxes(c).right > window.innerWidth + 1)
                        found.push(`${c.querySelector('[id]')?.id ?? c.id} reaches x ${Math.round(boxes(c).right)}`);
                return found;
            }
            """);

        Assert.True(overlaps.Length == 0, "On a 390 px phone: " + string.Join("; ", overlaps));
    }
}
