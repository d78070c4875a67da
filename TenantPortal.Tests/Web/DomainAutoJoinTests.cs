using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Domains;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web;

/// <summary>Auto-join happens when the address is confirmed (the emailed link), never before, and the page says so.</summary>
[Collection(PortalCollection.Name)]
public class DomainAutoJoinTests(PortalAppFactory portal)
{
    [Fact]
    public async Task ConfirmingTheEmail_JoinsTheWorkspaceOfItsAutoJoinDomain_WithTheDomainsRole()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Professional, TenantStatus.Active);
        var domainName = $"{slug}.example";
        Guid tenantId;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
            tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
            var domain = TenantDomain.Claim(tenantId, domainName, "auto-join-token", DateTimeOffset.UtcNow);
            domain.MarkVerified(DateTimeOffset.UtcNow);
            domain.SetAffiliation(DomainAffiliation.Auto, TenantRole.Viewer);
            db.TenantDomains.Add(domain);
            await db.SaveChangesAsync();
        }
        string userId, code;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var email = $"new-hire@{domainName}";
            var user = new PortalUser { UserName = email, Email = email, CreatedAt = DateTimeOffset.UtcNow };
            Assert.True((await users.CreateAsync(user, "a-long-enough-passphrase-2026")).Succeeded);
            userId = user.Id;
            code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GenerateEmailConfirmationTokenAsync(user)));
        }
        var beforeConfirmation = await RoleAsync(tenantId, userId);

        using var client = portal.CreateClient();
        var page = await client.GetStringAsync($"/Account/ConfirmEmail?userId={Uri.EscapeDataString(userId)}&code={code}");

        Assert.Null(beforeConfirmation);
        Assert.Contains("Thank you for confirming your email.", page);
        Assert.Contains($"You joined", page);
        Assert.Contains($"as Viewer, through your address on {domainName}", page);
        Assert.Equal(TenantRole.Viewer, await RoleAsync(tenantId, userId));
    }

    private async Task<TenantRole?> RoleAsync(Guid tenantId, string userId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check");
        return await db.Members.Where(m => m.TenantId == tenantId && m.UserId == userId).Select(m => (TenantRole?)m.Role).SingleOrDefaultAsync();
    }
}
