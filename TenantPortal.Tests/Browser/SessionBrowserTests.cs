using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TenantPortal.Data;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>A session revoked from another browser ends for an open page too: its next click leads to the log-in page.</summary>
[Collection(PortalCollection.Name)]
public class SessionBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task ARevokedSessionsOpenPage_GoesToLogIn_AtItsNextClick()
    {
        var member = await SessionAccounts.MemberAsync(portal);
        await using var session = await BrowserSession.StartAsync(portal);
        var laptop = session.Page;
        await session.LogInAsync(member.Email, SessionAccounts.Password, $"/t/{member.Slug}");
        await Assertions.Expect(laptop.Locator("#tenant-name")).ToHaveTextAsync(member.Slug!);

        // The same person in another browser revokes the laptop's session from Account → Sessions.
        var phone = await session.NewIsolatedPageAsync();
        await BrowserSession.LogInAsync(phone, member.Email, SessionAccounts.Password, "/Account/Manage/Sessions", interactive: false);
        await Assertions.Expect(phone.Locator(".session-row")).ToHaveCountAsync(2);
        await Assertions.Expect(phone.Locator(".session-row[data-current='true']")).ToContainTextAsync("This browser");
        await Assertions.Expect(phone.Locator(".session-row[data-current='false']")).ToContainTextAsync("Chrome on Linux");
        await phone.Locator(".session-row[data-current='false'] .session-revoke").ClickAsync();
        await Assertions.Expect(phone.GetByText("The session was revoked")).ToBeVisibleAsync();
        await Assertions.Expect(phone.Locator(".session-row")).ToHaveCountAsync(1);

        // The laptop's page is still open on its circuit; its next event is refused and it goes to log in.
        await laptop.ClickAsync("#dark-mode-toggle");
        await laptop.ExpectPathAsync("/Account/Login");
        Assert.Contains($"ReturnUrl=t%2F{member.Slug}", laptop.Url);
        await Assertions.Expect(laptop.Locator("[id='Input.Email']")).ToBeVisibleAsync();

        // The phone is still signed in.
        await phone.GotoAsync($"/t/{member.Slug}");
        await BrowserSession.WaitForInteractiveAsync(phone);
        await Assertions.Expect(phone.Locator("#tenant-name")).ToHaveTextAsync(member.Slug!);
    }

    [Fact]
    public async Task AnOperatorsOpsPage_GoesToLogIn_AtItsNextClick_AfterSignOutEverywhereElse()
    {
        var op = await SessionAccounts.OperatorAsync(portal);
        await using var session = await BrowserSession.StartAsync(portal);
        var desk = session.Page;
        await session.LogInAsync(op.Email, SessionAccounts.Password, "/ops");

        var laptop = await session.NewIsolatedPageAsync();
        await BrowserSession.LogInAsync(laptop, op.Email, SessionAccounts.Password, "/Account/Manage/Sessions", interactive: false);
        await laptop.ClickAsync("#sign-out-elsewhere");
        await Assertions.Expect(laptop.GetByText("Signed out 1 other session.")).ToBeVisibleAsync();

        await desk.ClickAsync("#dark-mode-toggle");
        await desk.ExpectPathAsync("/Account/Login");
        Assert.Contains("ReturnUrl=ops", desk.Url);
    }

    [Fact]
    public async Task AnOperatorLocksAMember_FromTheOpsTenantPage_AndTheMembersOpenPageGoesToLogIn()
    {
        var member = await SessionAccounts.MemberAsync(portal);
        var op = await SessionAccounts.OperatorAsync(portal);
        Guid tenantId;
        await using (var scope = portal.Services.CreateAsyncScope())
            tenantId = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Tenants.Where(t => t.Slug == member.Slug).Select(t => t.Id).SingleAsync();
        await using var session = await BrowserSession.StartAsync(portal);
        var memberPage = session.Page;
        await session.LogInAsync(member.Email, SessionAccounts.Password, $"/t/{member.Slug}");

        var opsPage = await session.NewIsolatedPageAsync();
        await BrowserSession.LogInAsync(opsPage, op.Email, SessionAccounts.Password, $"/ops/tenants/{tenantId}");
        await opsPage.Locator("#ops-tenant-header[data-interactive='True']").WaitForAsync();
        await opsPage.Locator(".mud-tab", new() { HasText = "Members" }).ClickAsync();
        await opsPage.Locator($".account-lock[data-email='{member.Email}']").ClickAsync();
        await opsPage.FillAsync("#action-reason", "Reported stolen laptop");
        await opsPage.ClickAsync("#action-confirm");
        await Assertions.Expect(opsPage.Locator($".account-unlock[data-email='{member.Email}']")).ToBeVisibleAsync();

        await memberPage.ClickAsync("#dark-mode-toggle");
        await memberPage.ExpectPathAsync("/Account/Login");
        await memberPage.FillAsync("[id='Input.Email']", member.Email);
        await memberPage.FillAsync("[id='Input.Password']", SessionAccounts.Password);
        await memberPage.ClickAsync("#login-submit");
        await memberPage.ExpectPathAsync("/Account/Lockout");
        await Assertions.Expect(memberPage.Locator("#lockout-by-operator")).ToBeVisibleAsync();
    }
}
