using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>Access is checked on every event of an open circuit, not only when a page loads.</summary>
[Collection(PortalCollection.Name)]
public class CircuitAccessBrowserTests(PortalAppFactory portal)
{
    private const string Password = "Circuit-Test-2026";

    [Fact]
    public async Task ARemovedMember_LosesAccess_AtTheNextClick_WithoutLoggingOut()
    {
        var email = $"leaving-{Guid.NewGuid():N}@globex.test";
        var userId = await AddMemberAsync(email, "globex", TenantRole.Member);
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync(email, Password, "/t/globex");
        await Assertions.Expect(page.Locator("#tenant-name")).ToHaveTextAsync("Globex");

        await RemoveMemberAsync(userId, "globex");
        await page.ClickAsync("#dark-mode-toggle");

        // Sent home, where their remaining workspaces are listed (none here), still signed in.
        await page.ExpectPathAsync("/");
        await session.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("#tenant-name")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#user-menu")).ToContainTextAsync(email, new() { IgnoreCase = true });
    }

    private async Task<string> AddMemberAsync(string email, string slug, TenantRole role)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug);
        db.Members.Add(new TenantMember { TenantId = tenant.Id, UserId = user.Id, Role = role, JoinedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return user.Id;
    }

    private async Task RemoveMemberAsync(string userId, string slug)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug);
        await db.Members.Where(m => m.TenantId == tenant.Id && m.UserId == userId).ExecuteDeleteAsync();
    }
}
