using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Identity;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// Throwaway accounts with a password (and, when asked, an authenticator) for tests that sign in several times and end
/// sessions; each signs in through the real log-in forms into a cookie jar of its own, which a test can copy ("capture").
/// </summary>
public static class SessionAccounts
{
    /// <summary>The password of every account made here.</summary>
    public const string Password = "Session-Test-Pass-2026";

    /// <summary>An account: its workspace (null for an operator), id, email and authenticator key (null without 2FA).</summary>
    public sealed record Account(string? Slug, string UserId, string Email, string? AuthenticatorKey);

    /// <summary>A new Active workspace with this user as its <paramref name="role"/>.</summary>
    public static async Task<Account> MemberAsync(PortalAppFactory portal, TenantRole role = TenantRole.Admin, bool twoFactor = false)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        var member = await Teams.AddMemberAsync(portal, slug, role);
        return await WithPasswordAsync(portal, member.Id, slug, twoFactor, operatorRole: false);
    }

    /// <summary>A new operator (no workspace).</summary>
    public static async Task<Account> OperatorAsync(PortalAppFactory portal)
    {
        var email = $"operator-{Guid.NewGuid():N}@ops.test";
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
            Succeeded(await users.CreateAsync(user));
            return await WithPasswordAsync(portal, user.Id, null, twoFactor: false, operatorRole: true);
        }
    }

    private static async Task<Account> WithPasswordAsync(PortalAppFactory portal, string userId, string? slug, bool twoFactor, bool operatorRole)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        Succeeded(await users.AddPasswordAsync(user, Password));
        if (operatorRole)
            Succeeded(await users.AddToRoleAsync(user, PortalRoles.Operator));
        string? key = null;
        if (twoFactor)
        {
            Succeeded(await users.ResetAuthenticatorKeyAsync(user));
            Succeeded(await users.SetTwoFactorEnabledAsync(user, true));
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        return new Account(slug, user.Id, user.Email!, key);
    }

    /// <summary>A client of the running portal on <paramref name="cookies"/>, not following redirects.</summary>
    public static HttpClient Client(PortalAppFactory portal, CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies, UseCookies = true }) { BaseAddress = portal.ServerAddress };

    /// <summary>Signs in through the log-in form (and the authenticator step when the account has one); returns the cookie jar.</summary>
    public static async Task<CookieContainer> SignInAsync(PortalAppFactory portal, Account account)
    {
        var cookies = new CookieContainer();
        using var client = Client(portal, cookies);
        var login = await AccountClient.LogInAsync(client, account.Email, Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var next = login.Headers.Location!.ToString();
        if (next.Contains("LoginWith2fa", StringComparison.Ordinal))
        {
            var second = await AccountClient.PostFormAsync(client, next, "login-with-2fa", new()
            {
                ["Input.TwoFactorCode"] = Totp.Code(account.AuthenticatorKey!, DateTimeOffset.UtcNow),
                ["Input.RememberMachine"] = "false",
            });
            Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
            Assert.DoesNotContain("/Account/", second.Headers.Location!.ToString());
        }
        return cookies;
    }

    /// <summary>A copy of the jar's cookies, as someone who captured them would hold.</summary>
    public static CookieContainer Capture(CookieContainer cookies)
    {
        var copy = new CookieContainer();
        foreach (Cookie cookie in cookies.GetAllCookies())
            copy.Add(new Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain));
        return copy;
    }

    /// <summary>True when <paramref name="path"/> opens with these cookies (200); false when it sends them to log in.</summary>
    public static async Task<bool> OpensAsync(PortalAppFactory portal, CookieContainer cookies, string path)
    {
        using var client = Client(portal, cookies);
        using var response = await client.GetAsync(path);
        if (response.StatusCode == HttpStatusCode.OK)
            return true;
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/Account/Login", StringComparison.Ordinal),
            $"{path} answered {(int)response.StatusCode} {response.Headers.Location}");
        return false;
    }

    private static void Succeeded(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
}
