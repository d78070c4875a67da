using System.Net;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api;

[Collection(PortalCollection.Name)]
public class PasswordResetTests(PortalAppFactory portal)
{
    [Fact]
    public async Task ForgotPassword_WritesTheResetLinkAsAnEmlFile_InThePickupFolder()
    {
        using var client = portal.CreateBrowserLikeClient();
        var mail = Path.Combine(portal.DataDirectory, "mail");
        var before = Directory.Exists(mail) ? Directory.GetFiles(mail, "*.eml").ToHashSet() : [];

        var response = await AccountClient.PostFormAsync(client, "/Account/ForgotPassword", "forgot-password",
            new() { ["Input.Email"] = "admin@globex.test" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var written = Directory.GetFiles(mail, "*.eml").Where(f => !before.Contains(f)).ToList();
        var message = await File.ReadAllTextAsync(Assert.Single(written));
        Assert.Contains("To: admin@globex.test", message);
        Assert.Contains("Subject: Reset your password", message);
        Assert.Contains("Account/ResetPassword?code=", message);
        Assert.Empty(Directory.GetFiles(mail, "*.tmp"));
    }

    [Fact]
    public async Task ForgotPassword_SendsNothing_ForAnUnknownEmail_ButLooksTheSame()
    {
        using var client = portal.CreateBrowserLikeClient();
        var mail = Path.Combine(portal.DataDirectory, "mail");
        Directory.CreateDirectory(mail);
        var before = Directory.GetFiles(mail, "*.eml").Length;

        var response = await AccountClient.PostFormAsync(client, "/Account/ForgotPassword", "forgot-password",
            new() { ["Input.Email"] = "nobody@nowhere.test" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("ForgotPasswordConfirmation", response.Headers.Location!.ToString());
        // Tests of one collection run one at a time, so no other test writes mail meanwhile.
        Assert.Equal(before, Directory.GetFiles(mail, "*.eml").Length);
    }
}
