using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Security;

/// <summary>
/// A tenant that requires two-factor authentication for Owners, over HTTP on the real portal: its owner signed in with
/// a password only gets the tenant's pages as a notice with the way to set up 2FA (and no tenant content), an owner
/// signed in with an authenticator code and the other roles get in, and switching the requirement off lets the owner in.
/// Each test arranges a tenant of its own.
/// </summary>
[Collection(PortalCollection.Name)]
public class OwnerTwoFactorPageTests(PortalAppFactory portal)
{
    private const string Password = "Owner-Factor-Test-2026";

    [Fact]
    public async Task AnOwnerWithoutTwoFactor_IsStoppedWithTheWayToSetItUp_WhileTheRequirementIsOn_AndGetsInOnceItIsOff()
    {
        var (slug, emails) = await ArrangeAsync();
        using var client = portal.CreateBrowserLikeClient();
        Assert.Equal(HttpStatusCode.Redirect, (await AccountClient.LogInAsync(client, emails[TenantRole.Owner], Password)).StatusCode);

        foreach (var path in new[] { $"/t/{slug}", $"/t/{slug}/settings", $"/t/{slug}/users" })
        {
            var page = await client.GetStringAsync(path);
            Assert.Contains("owner-2fa-required", page);
            Assert.Contains("Account/Manage/TwoFactorAuthentication", page);
            Assert.DoesNotContain("tenant-tabs", page);
        }

        await SetRequiredAsync(slug, false);
        var open = await client.GetStringAsync($"/t/{slug}");
        Assert.DoesNotContain("owner-2fa-required", open);
        Assert.Contains("tenant-tabs", open);
    }

    [Fact]
    public async Task AnOwnerWhoSignedInWithAnAuthenticatorCode_GetsIn()
    {
        var (slug, emails) = await ArrangeAsync();
        var key = await EnableAuthenticatorAsync(emails[TenantRole.Owner]);
        using var client = portal.CreateBrowserLikeClient();
        var login = await AccountClient.LogInAsync(client, emails[TenantRole.Owner], Password, $"/t/{slug}");
        var second = await AccountClient.PostFormAsync(client, login.Headers.Location!.ToString(), "login-with-2fa",
            new() { ["Input.TwoFactorCode"] = Totp.Code(key, DateTimeOffset.UtcNow), ["Input.RememberMachine"] = "false" });
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);

        var page = await client.GetStringAsync($"/t/{slug}");

        Assert.DoesNotContain("owner-2fa-required", page);
        Assert.Contains("tenant-tabs", page);
    }

    [Theory]
    [InlineData(TenantRole.Admin)]
    [InlineData(TenantRole.Member)]
    [InlineData(TenantRole.Viewer)]
    public async Task OtherRoles_WithoutTwoFactor_AreUnaffected(TenantRole role)
    {
        var (slug, emails) = await ArrangeAsync();
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, emails[role], Password);

        var page = await client.GetStringAsync($"/t/{slug}");

        Assert.DoesNotContain("owner-2fa-required", page);
        Assert.Contains("tenant-tabs", page);
    }

    // A tenant requiring owner 2FA, with one user of each role, none with 2FA.
    private async Task<(string Slug, Dictionary<TenantRole, string> Emails)> ArrangeAsync()
    {
        var slug = $"o2fa-{Guid.NewGuid():N}"[..20];
        var tenant = new TenantBuilder().WithSlug(slug).OnPlan(SubscriptionTier.Free).Build();
        tenant.RequireOwnerTwoFactor = true;
        var emails = new Dictionary<TenantRole, string>();
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.Tenants.Add(tenant);
        foreach (var role in Enum.GetValues<TenantRole>())
        {
            var email = $"{role.ToString().ToLowerInvariant()}-{slug}@example.test";
            var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
            var created = await users.CreateAsync(user, Password);
            Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            db.Members.Add(new TenantMember { TenantId = tenant.Id, UserId = user.Id, Role = role, JoinedAt = DateTimeOffset.UtcNow });
            emails[role] = email;
        }
        await db.SaveChangesAsync();
        return (slug, emails);
    }

    private async Task SetRequiredAsync(string slug, bool required)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Tenants.Where(t => t.Slug == slug).ExecuteUpdateAsync(s => s.SetProperty(t => t.RequireOwnerTwoFactor, required));
    }

    private async Task<string> EnableAuthenticatorAsync(string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }
}
