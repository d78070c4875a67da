using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

[Collection(PortalCollection.Name)]
public class OpsBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Operator_SeesTheFleet_AndCanSearchIt()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync(PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword, "/ops");

        var rows = page.Locator("#fleet-table tbody tr");
        await Assertions.Expect(rows.Filter(new() { HasText = "Acme Corporation" })).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Filter(new() { HasText = "Initech" })).ToHaveCountAsync(1);

        await page.GetByPlaceholder("Search name or slug").FillAsync("glob");

        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("Globex");
        await session.SaveScreenshotAsync("ops.png");
    }
}
