using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Data.Identity;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Security;

/// <summary>
/// Lockout through the real log-in forms: five failures lock the account for 15 minutes, whether they are wrong
/// passwords, wrong authenticator codes or wrong recovery codes; an unknown email answers exactly like a wrong password.
/// Each test uses an account of its own.
/// </summary>
[Collection(PortalCollection.Name)]
public partial class AccountLockoutTests(PortalAppFactory portal)
{
    private const string Password = "Lockout-Test-Pass-2026";

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_SoThatTheRightPasswordIsRefused_WithTheDurationOnThePage()
    {
        var email = await CreateUserAsync(twoFactor: false);
        using var client = portal.CreateBrowserLikeClient();
        for (var i = 0; i < 5; i++)
            await AccountClient.LogInAsync(client, email, "Wrong-Password-2026");

        var sixth = await AccountClient.LogInAsync(client, email, Password);

        Assert.Equal(HttpStatusCode.Redirect, sixth.StatusCode);
        Assert.Contains("/Account/Lockout", sixth.Headers.Location!.ToString());
        var page = await client.GetStringAsync("/Account/Lockout");
        Assert.Contains("after 5 failed sign-in attempts", page);
        Assert.Contains("Try again in 15 minutes", page);
        Assert.True(await IsLockedOutAsync(email));
    }

    [Fact]
    public async Task AnUnknownEmail_GetsTheSameAnswer_AsAWrongPassword()
    {
        var email = await CreateUserAsync(twoFactor: false);
        using var client = portal.CreateBrowserLikeClient();

        var wrong = await AccountClient.LogInAsync(client, email, "Wrong-Password-2026");
        var unknown = await AccountClient.LogInAsync(client, $"nobody-{Guid.NewGuid():N}@example.test", "Wrong-Password-2026");

        Assert.Equal(wrong.StatusCode, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal(Alert(await wrong.Content.ReadAsStringAsync()), Alert(await unknown.Content.ReadAsStringAsync()));
        Assert.Contains("Invalid login attempt", Alert(await unknown.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task FiveWrongAuthenticatorCodes_LockTheAccount_SoThatTheRightCodeIsRefused()
    {
        var email = await CreateUserAsync(twoFactor: true);
        var key = await AuthenticatorKeyAsync(email);
        using var client = portal.CreateBrowserLikeClient();
        var login = await AccountClient.LogInAsync(client, email, Password);
        var step = login.Headers.Location!.ToString();
        Assert.Contains("LoginWith2fa", step);
        var wrong = await WrongCodeAsync(email);

        for (var i = 0; i < 5; i++)
            await AccountClient.PostFormAsync(client, step, "login-with-2fa", new() { ["Input.TwoFactorCode"] = wrong, ["Input.RememberMachine"] = "false" });
        var right = await AccountClient.PostFormAsync(client, step, "login-with-2fa",
            new() { ["Input.TwoFactorCode"] = Totp.Code(key, DateTimeOffset.UtcNow), ["Input.RememberMachine"] = "false" });

        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Contains("/Account/Lockout", right.Headers.Location!.ToString());
        Assert.True(await IsLockedOutAsync(email));
    }

    [Fact]
    public async Task FiveWrongRecoveryCodes_LockTheAccount_SoThatAValidCodeIsRefused()
    {
        var email = await CreateUserAsync(twoFactor: true);
        var codes = await RecoveryCodesAsync(email);
        using var client = portal.CreateBrowserLikeClient();
        var login = await AccountClient.LogInAsync(client, email, Password);
        Assert.Contains("LoginWith2fa", login.Headers.Location!.ToString());
        var step = "/Account/LoginWithRecoveryCode";

        for (var i = 0; i < 5; i++)
            await AccountClient.PostFormAsync(client, step, "login-with-recovery-code", new() { ["Input.RecoveryCode"] = "wrong-code0" });
        var valid = await AccountClient.PostFormAsync(client, step, "login-with-recovery-code", new() { ["Input.RecoveryCode"] = codes[0] });

        Assert.Equal(HttpStatusCode.Redirect, valid.StatusCode);
        Assert.Contains("/Account/Lockout", valid.Headers.Location!.ToString());
        Assert.True(await IsLockedOutAsync(email));
    }

    private async Task<string> CreateUserAsync(bool twoFactor)
    {
        var email = $"lockout-{Guid.NewGuid():N}@example.test";
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        if (twoFactor)
        {
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
        }
        return email;
    }

    private async Task<string> AuthenticatorKeyAsync(string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return (await users.GetAuthenticatorKeyAsync((await users.FindByEmailAsync(email))!))!;
    }

    private async Task<List<string>> RecoveryCodesAsync(string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByEmailAsync(email))!, 10))!.ToList();
    }

    // A six-digit code the authenticator would not accept now (Identity checks it without counting a failure).
    private async Task<string> WrongCodeAsync(string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        for (var candidate = 0; ; candidate += 111_111)
        {
            var code = candidate.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
                return code;
        }
    }

    private async Task<bool> IsLockedOutAsync(string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!);
    }

    private static string Alert(string page) => StatusAlert().Match(page) is { Success: true } m ? m.Groups[1].Value.Trim() : "";

    [GeneratedRegex("Error: ([^<]*)")]
    private static partial Regex StatusAlert();
}
