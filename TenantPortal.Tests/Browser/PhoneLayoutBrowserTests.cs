using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>
/// Every page of the portal on a phone (390×844), for every visitor who can open it: nothing is wider than the screen
/// (no sideways scrolling of the page), no table is cut off by the box it sits in (tables stack into cards on a phone;
/// one may be wider only inside a box marked <c>data-horizontal-scroll</c>, which scrolls on purpose and says so), and
/// every button and link of the app bar lies inside the viewport.
/// </summary>
[Collection(PortalCollection.Name)]
public class PhoneLayoutBrowserTests(PortalAppFactory portal)
{
    private const int PhoneWidth = 390;
    private const int PhoneHeight = 844;

    [Theory]
    [InlineData(PortalVisitor.Anonymous)]
    [InlineData(PortalVisitor.Owner)]
    [InlineData(PortalVisitor.Admin)]
    [InlineData(PortalVisitor.Member)]
    [InlineData(PortalVisitor.Viewer)]
    [InlineData(PortalVisitor.Operator)]
    public async Task EveryPage_FitsA390PixelScreen_WithTheAppBarInside(PortalVisitor visitor)
    {
        var pages = new PortalPages(portal);
        var paths = await pages.PathsOfAsync(visitor);
        await using var session = await BrowserSession.StartAsync(portal, $"Phone{visitor}");
        var page = session.Page;
        await page.SetViewportSizeAsync(PhoneWidth, PhoneHeight);
        await PortalPages.SignInAsync(page, await pages.AccountOfAsync(visitor), paths[0]);

        var problems = new List<string>();
        foreach (var path in paths)
        {
            await PortalPages.OpenAsync(page, path);
            var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            if (scrollWidth > PhoneWidth)
                problems.Add($"{path}: the page is {scrollWidth} px wide (widest: {await WidestAsync(page)})");
            foreach (var table in await CutOffTablesAsync(page))
                problems.Add($"{path}: {table}");
            foreach (var outside in await AppBarControlsOutsideAsync(page))
                problems.Add($"{path}: app bar control {outside} lies outside the {PhoneWidth} px viewport");
        }

        Assert.True(problems.Count == 0, $"On a {PhoneWidth} px phone, {visitor}:\n" + string.Join('\n', problems));
    }

    // The app bar's visible buttons and links whose box leaves the viewport, described by id, label or text.
    private static Task<string[]> AppBarControlsOutsideAsync(IPage page) => page.EvaluateAsync<string[]>(
        """
        width => [...document.querySelectorAll('.mud-appbar button, .mud-appbar a')]
            .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
            .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > width || r.top < 0; })
            .map(e => { const r = e.getBoundingClientRect();
                return `${e.id || e.getAttribute('aria-label') || e.textContent.trim().slice(0, 30)} at x ${Math.round(r.left)}-${Math.round(r.right)}`; })
        """, PhoneWidth);

    // Visible tables wider than the box that clips them (MudBlazor's table containers scroll silently, hiding columns
    // such as an amount), or reaching past the screen; a box marked data-horizontal-scroll is a deliberate scroller.
    private static Task<string[]> CutOffTablesAsync(IPage page) => page.EvaluateAsync<string[]>(
        """
        width => [...document.querySelectorAll('table')]
            .filter(t => { const r = t.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
            .filter(t => !t.closest('[data-horizontal-scroll]'))
            .map(t => {
                const r = t.getBoundingClientRect();
                let box = t.parentElement;
                while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
                const limit = box && box !== document.body ? Math.min(box.getBoundingClientRect().right, width) : width;
                const owner = t.closest('[id]');
                const name = owner ? '#' + owner.id : t.closest('[class]')?.className.split(' ').slice(0, 2).join('.');
                return r.right > limit + 1 ? `the table in ${name} is cut off: ${Math.round(r.width)} px wide, ${Math.round(r.right - limit)} px hidden` : null;
            })
            .filter(x => x)
        """, PhoneWidth);

    // The element outside the app bar that sticks out furthest to the right, to say in the failure what to fix.
    private static Task<string> WidestAsync(IPage page) => page.EvaluateAsync<string>(
        """
        () => {
            let widest = null, right = 0;
            for (const e of document.body.querySelectorAll('*')) {
                // The app bar has its own check; name what else sticks out.
                if (e.closest('.mud-appbar')) continue;
                const r = e.getBoundingClientRect();
                if (r.right > right + 0.5 && r.width > 0) { right = r.right; widest = e; }
            }
            if (!widest) return 'nothing';
            const name = widest.id ? '#' + widest.id : widest.tagName.toLowerCase() + '.' + [...widest.classList].slice(0, 3).join('.');
            return `${name} reaching x ${Math.round(right)}`;
        }
        """);
}
