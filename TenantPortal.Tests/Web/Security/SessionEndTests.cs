using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Audit;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services;
using TenantPortal.Core.Tenants;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Security;
using static TenantPortal.Tests.Infrastructure.SessionAccounts;

namespace TenantPortal.Tests.Web.Security;

/// <summary>
/// Sessions end when they should, over HTTP with real log-ins: a cookie captured before a sign-out, a password change or
/// reset, a two-factor change, an operator's lock or a "sign out everywhere" no longer opens anything; the browser that
/// made the change stays signed in where it should. Each test uses accounts of its own.
/// </summary>
[Collection(PortalCollection.Name)]
public partial class SessionEndTests(PortalAppFactory portal)
{
    [Fact]
    public async Task SignOut_EndsTheSession_SoACookieCapturedBeforeNoLongerOpensTheWorkspace()
    {
        var member = await MemberAsync(portal);
        var browser = await SignInAsync(portal, member);
        var captured = Capture(browser);
        Assert.True(await OpensAsync(portal, captured, $"/t/{member.Slug}"));

        await SignOutAsync(browser);

        Assert.False(await OpensAsync(portal, captured, $"/t/{member.Slug}"));
        Assert.False(await OpensAsync(portal, captured, "/Account/Manage"));
    }

    [Fact]
    public async Task SignOut_OfAnOperator_EndsTheSession_SoACapturedCookieNoLongerOpensOps()
    {
        var op = await OperatorAsync(portal);
        var browser = await SignInAsync(portal, op);
        var captured = Capture(browser);
        Assert.True(await OpensAsync(portal, captured, "/ops"));

        await SignOutAsync(browser);

        Assert.False(await OpensAsync(portal, captured, "/ops"));
        Assert.False(await OpensAsync(portal, captured, "/ops/tenants"));
    }

    [Fact]
    public async Task SignOut_EndsOnlyThatSession()
    {
        var member = await MemberAsync(portal);
        var laptop = await SignInAsync(portal, member);
        var phone = await SignInAsync(portal, member);

        await SignOutAsync(laptop);

        Assert.True(await OpensAsync(portal, phone, $"/t/{member.Slug}"));
    }

    [Fact]
    public async Task PasswordChange_EndsEveryOtherSession_AndKeepsThisOne()
    {
        var member = await MemberAsync(portal);
        var here = await SignInAsync(portal, member);
        var elsewhere = await SignInAsync(portal, member);
        var capturedHere = Capture(here);

        using (var client = Client(portal, here))
        {
            var changed = await AccountClient.PostFormAsync(client, "/Account/Manage/ChangePassword", "change-password", new()
            {
                ["Input.OldPassword"] = Password,
                ["Input.NewPassword"] = "Session-Test-Changed-2026",
                ["Input.ConfirmPassword"] = "Session-Test-Changed-2026",
            });
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }

        Assert.False(await OpensAsync(portal, elsewhere, $"/t/{member.Slug}"));
        Assert.True(await OpensAsync(portal, here, $"/t/{member.Slug}"));
        // The session carries on under the same id with the new ticket: a copy taken before the change works as the browser does.
        Assert.True(await OpensAsync(portal, capturedHere, $"/t/{member.Slug}"));
    }

    [Fact]
    public async Task PasswordReset_EndsEverySession()
    {
        var member = await MemberAsync(portal);
        var browser = await SignInAsync(portal, member);
        var other = await SignInAsync(portal, member);

        string code;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync((await users.FindByIdAsync(member.UserId))!)));
        }
        using (var anonymous = Client(portal, new CookieContainer()))
        {
            var reset = await AccountClient.PostFormAsync(anonymous, $"/Account/ResetPassword?code={code}", "reset-password", new()
            {
                ["Input.Email"] = member.Email,
                ["Input.Password"] = "Session-Test-Reset-2026",
                ["Input.ConfirmPassword"] = "Session-Test-Reset-2026",
                ["Input.Code"] = code,
            });
            Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
            Assert.Contains("ResetPasswordConfirmation", reset.Headers.Location!.ToString());
        }

        Assert.False(await OpensAsync(portal, browser, $"/t/{member.Slug}"));
        Assert.False(await OpensAsync(portal, other, $"/t/{member.Slug}"));
    }

    [Theory]
    [InlineData("enable")]
    [InlineData("disable")]
    [InlineData("reset-authenticator")]
    [InlineData("recovery-codes")]
    public async Task TwoFactorChange_EndsEveryOtherSession_AndKeepsThisOne(string change)
    {
        var member = await MemberAsync(portal, twoFactor: change != "enable");
        var here = await SignInAsync(portal, member);
        var elsewhere = await SignInAsync(portal, member);

        using (var client = Client(portal, here))
        {
            var response = change switch
            {
                "enable" => await EnableAuthenticatorAsync(client),
                "disable" => await AccountClient.PostFormAsync(client, "/Account/Manage/Disable2fa", "disable-2fa", []),
                "reset-authenticator" => await AccountClient.PostFormAsync(client, "/Account/Manage/ResetAuthenticator", "reset-authenticator", []),
                _ => await AccountClient.PostFormAsync(client, "/Account/Manage/GenerateRecoveryCodes", "generate-recovery-codes", []),
            };
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"{change}: {(int)response.StatusCode}");
            Assert.DoesNotContain("Error", await response.Content.ReadAsStringAsync());
        }

        Assert.False(await OpensAsync(portal, elsewhere, $"/t/{member.Slug}"));
        Assert.True(await OpensAsync(portal, here, $"/t/{member.Slug}"));
    }

    [Fact]
    public async Task OperatorLock_EndsEverySession_AndRefusesSignIn_UntilUnlocked()
    {
        var member = await MemberAsync(portal);
        var browser = await SignInAsync(portal, member);
        var other = await SignInAsync(portal, member);
        var op = await OperatorAsync(portal);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<OperatorAccountService>();
            Assert.True((await accounts.LockAsync(new Actor(op.UserId, op.Email), member.UserId, "compromised laptop", CancellationToken.None)).IsSuccess);
        }

        Assert.False(await OpensAsync(portal, browser, $"/t/{member.Slug}"));
        Assert.False(await OpensAsync(portal, other, $"/t/{member.Slug}"));
        using (var client = Client(portal, new CookieContainer()))
        {
            var refused = await AccountClient.LogInAsync(client, member.Email, Password);
            Assert.Contains("/Account/Lockout", refused.Headers.Location!.ToString());
        }

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<OperatorAccountService>();
            Assert.True((await accounts.UnlockAsync(new Actor(op.UserId, op.Email), member.UserId, "laptop recovered", CancellationToken.None)).IsSuccess);
        }
        Assert.True(await OpensAsync(portal, await SignInAsync(portal, member), $"/t/{member.Slug}"));
    }

    [Fact]
    public async Task OperatorRemoval_EndsTheRemovedOperatorsSessions_AtOnce()
    {
        var removed = await OperatorAsync(portal);
        var remover = await OperatorAsync(portal);
        var browser = await SignInAsync(portal, removed);
        Assert.True(await OpensAsync(portal, browser, "/ops"));

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<OperatorAccountService>();
            Assert.True((await accounts.RemoveAsync(new Actor(remover.UserId, remover.Email), removed.UserId)).IsSuccess);
        }

        Assert.False(await OpensAsync(portal, browser, "/ops"));
    }

    [Fact]
    public async Task SignOutEverywhereElse_EndsTheOtherSessions_AndKeepsThisOne()
    {
        var member = await MemberAsync(portal);
        var here = await SignInAsync(portal, member);
        var laptop = await SignInAsync(portal, member);
        var phone = await SignInAsync(portal, member);

        using (var client = Client(portal, here))
        {
            var response = await AccountClient.PostFormAsync(client, "/Account/Manage/Sessions", "sign-out-elsewhere", []);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("Signed out 2 other sessions.", await client.GetStringAsync("/Account/Manage/Sessions"));
        }

        Assert.False(await OpensAsync(portal, laptop, $"/t/{member.Slug}"));
        Assert.False(await OpensAsync(portal, phone, $"/t/{member.Slug}"));
        Assert.True(await OpensAsync(portal, here, $"/t/{member.Slug}"));
        Assert.Contains(AuditActions.SessionsRevokedElsewhere, await AuditActionsAsync(member.UserId));
    }

    [Fact]
    public async Task SignOutEverywhere_EndsEverySession_ThisOneIncluded()
    {
        var member = await MemberAsync(portal);
        var here = await SignInAsync(portal, member);
        var capturedHere = Capture(here);
        var elsewhere = await SignInAsync(portal, member);

        using (var client = Client(portal, here))
        {
            var response = await AccountClient.PostFormAsync(client, "/Account/Manage/Sessions", "sign-out-everywhere", []);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("Account/Login", response.Headers.Location!.ToString());
        }

        Assert.False(await OpensAsync(portal, here, $"/t/{member.Slug}"));
        Assert.False(await OpensAsync(portal, capturedHere, $"/t/{member.Slug}"));
        Assert.False(await OpensAsync(portal, elsewhere, $"/t/{member.Slug}"));
        Assert.Contains(AuditActions.SessionsRevokedEverywhere, await AuditActionsAsync(member.UserId));
    }

    [Fact]
    public async Task SessionsPage_ListsEverySessionWithDeviceAndAddress_MarksThisOne_AndRevokesAnother()
    {
        var member = await MemberAsync(portal);
        var here = await SignInAsync(portal, member);
        var firefox = new CookieContainer();
        using (var client = Client(portal, firefox))
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");
            Assert.Equal(HttpStatusCode.Redirect, (await AccountClient.LogInAsync(client, member.Email, Password)).StatusCode);
        }

        using var browser = Client(portal, here);
        var page = await browser.GetStringAsync("/Account/Manage/Sessions");
        var rows = SessionRow().Matches(page).Select(m => m.Value).ToList();
        Assert.Equal(2, rows.Count);
        var current = Assert.Single(rows, r => r.Contains("data-current=\"true\""));
        Assert.Contains("This browser", current);
        Assert.DoesNotContain("session-revoke", current);
        var other = Assert.Single(rows, r => r.Contains("data-current=\"false\""));
        Assert.Contains("Firefox on Linux", other);
        Assert.Contains("127.0.0.1", other);
        Assert.Contains(" UTC", other);
        var otherId = RevokeValue().Match(other).Groups[1].Value;

        var revoked = await AccountClient.PostFormAsync(browser, "/Account/Manage/Sessions", "revoke-session", new() { ["RevokeId"] = WebUtility.HtmlDecode(otherId) });

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.False(await OpensAsync(portal, firefox, $"/t/{member.Slug}"));
        Assert.True(await OpensAsync(portal, here, $"/t/{member.Slug}"));
        Assert.Single(SessionRow().Matches(await browser.GetStringAsync("/Account/Manage/Sessions")));
        Assert.Contains(AuditActions.SessionRevoked, await AuditActionsAsync(member.UserId));
    }

    [Fact]
    public async Task SessionsPage_RefusesToRevokeSomeoneElsesSession()
    {
        var victim = await MemberAsync(portal);
        var victimBrowser = await SignInAsync(portal, victim);
        string victimSession;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            victimSession = await db.UserSessions.Where(s => s.UserId == victim.UserId && s.RevokedAt == null).Select(s => s.Id).SingleAsync();
        }
        var attacker = await MemberAsync(portal);
        using var client = Client(portal, await SignInAsync(portal, attacker));

        var response = await AccountClient.PostFormAsync(client, "/Account/Manage/Sessions", "revoke-session", new() { ["RevokeId"] = victimSession });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That session was not found", await response.Content.ReadAsStringAsync());
        Assert.True(await OpensAsync(portal, victimBrowser, $"/t/{victim.Slug}"));
    }

    [Fact]
    public async Task SignIn_OnABrowserHoldingAnotherUsersCookie_StartsANewSession_SoThePlantedCookieNeverBecomesTheVictims()
    {
        var attacker = await MemberAsync(portal);
        var victim = await MemberAsync(portal);
        var browser = await SignInAsync(portal, attacker);
        var planted = Capture(browser);

        using (var client = Client(portal, browser))
            Assert.Equal(HttpStatusCode.Redirect, (await AccountClient.LogInAsync(client, victim.Email, Password)).StatusCode);

        Assert.True(await OpensAsync(portal, browser, $"/t/{victim.Slug}"));
        Assert.False(await OpensAsync(portal, planted, $"/t/{victim.Slug}"));
        Assert.False(await OpensAsync(portal, planted, $"/t/{attacker.Slug}"));
    }

    private async Task SignOutAsync(CookieContainer cookies)
    {
        using var client = Client(portal, cookies);
        var response = await AccountClient.LogOutAsync(client);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> EnableAuthenticatorAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/Account/Manage/EnableAuthenticator");
        var key = AuthenticatorKey().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        return await AccountClient.PostFormAsync(client, "/Account/Manage/EnableAuthenticator", "send-code",
            new() { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
    }

    private async Task<List<string>> AuditActionsAsync(string userId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check");
        return await db.AuditEntries.Where(e => e.ActorUserId == userId && e.TenantId == null).Select(e => e.Action).ToListAsync();
    }

    [GeneratedRegex("<tr class=\"session-row\".*?</tr>", RegexOptions.Singleline)]
    private static partial Regex SessionRow();

    [GeneratedRegex("name=\"RevokeId\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"RevokeId\"")]
    private static partial Regex RevokeValue();

    [GeneratedRegex("id=\"authenticator-key\">([^<]+)<")]
    private static partial Regex AuthenticatorKey();
}
