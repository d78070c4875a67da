using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Data.Identity;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Security;

/// <summary>The password rules on the real registration and change-password forms: weak passwords are refused with a message.</summary>
[Collection(PortalCollection.Name)]
public class PasswordPolicyFormTests(PortalAppFactory portal)
{
    [Theory]
    [InlineData("Short-2026", "at least 12")]
    [InlineData("Password-2026!!", "commonly used passwords")]
    [InlineData("aaaaaaaaaaaaaaa", "repeated or sequential")]
    [InlineData("123456789012", "commonly used passwords")]
    [InlineData("tenant-portal-2026", "name of this site")]
    public async Task Register_RefusesAWeakPassword_WithTheReason_AndCreatesNoAccount(string password, string reason)
    {
        var email = $"weak-{Guid.NewGuid():N}@example.test";
        using var client = portal.CreateBrowserLikeClient();

        var response = await AccountClient.PostFormAsync(client, "/Account/Register", "register", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
        await using var scope = portal.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email));
    }

    [Fact]
    public async Task Register_RefusesAPasswordContainingTheEmail()
    {
        var email = $"mail-{Guid.NewGuid():N}"[..17] + "@example.test";
        using var client = portal.CreateBrowserLikeClient();

        var response = await AccountClient.PostFormAsync(client, "/Account/Register", "register", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = $"my {email} pw",
            ["Input.ConfirmPassword"] = $"my {email} pw",
        });

        Assert.Contains("must not contain your email", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ChangePassword_RefusesACommonPassword_AndKeepsTheOldOne()
    {
        const string current = "Change-Policy-Test-2026";
        var email = $"change-{Guid.NewGuid():N}@example.test";
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            Assert.True((await users.CreateAsync(new PortalUser { UserName = email, Email = email, EmailConfirmed = true }, current)).Succeeded);
        }
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, email, current);

        var response = await AccountClient.PostFormAsync(client, "/Account/Manage/ChangePassword", "change-password", new()
        {
            ["Input.OldPassword"] = current,
            ["Input.NewPassword"] = "qwertyuiop1234",
            ["Input.ConfirmPassword"] = "qwertyuiop1234",
        });

        Assert.Contains("commonly used passwords", await response.Content.ReadAsStringAsync());
        await using var check = portal.Services.CreateAsyncScope();
        var manager = check.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        Assert.True(await manager.CheckPasswordAsync((await manager.FindByEmailAsync(email))!, current));
    }
}
