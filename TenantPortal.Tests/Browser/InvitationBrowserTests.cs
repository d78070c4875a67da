using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

[Collection(PortalCollection.Name)]
public partial class InvitationBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Invitee_RegistersFromTheEmailedLink_WithTheEmailLocked_AndIsInTheWorkspace_WithoutAnotherClick()
    {
        var email = $"invitee-{Guid.NewGuid():N}@example.test";
        var mail = Path.Combine(portal.DataDirectory, "mail");

        await using (var owner = await BrowserSession.StartAsync(portal))
        {
            var page = owner.Page;
            await owner.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme/users");
            await page.ClickAsync("#invite-button");
            await page.FillAsync("#invite-email", email);
            await page.ClickAsync("#invite-role");
            await page.ClickAsync("#invite-role-member");
            await owner.SaveScreenshotAsync("invite-dialog.png");
            await page.ClickAsync("#invite-submit");

            await Assertions.Expect(page.Locator($"#invitations-table td[data-email='{email}']")).ToBeVisibleAsync();
            await owner.SaveScreenshotAsync("acme-users-invited.png", fullPage: true);
        }

        var link = await AcceptLinkSentToAsync(mail, email);

        await using var invitee = await BrowserSession.StartAsync(portal);
        var p = invitee.Page;
        await p.GotoAsync(link);
        await Assertions.Expect(p.Locator("#invitation-tenant")).ToHaveTextAsync("Acme Corporation");
        await Assertions.Expect(p.Locator("#invitation-email")).ToHaveTextAsync(email);
        await invitee.SaveScreenshotAsync("invitation-signed-out.png");
        await p.ClickAsync("#invitation-register");

        // The form has the invited address, locked; registering is the last step.
        await p.ExpectPathAsync("/Account/Register");
        await Assertions.Expect(p.Locator("#register-invitation")).ToContainTextAsync("Acme Corporation");
        await Assertions.Expect(p.Locator("[id='Input.Email']")).ToHaveValueAsync(email);
        await Assertions.Expect(p.Locator("[id='Input.Email']")).Not.ToBeEditableAsync();
        await p.FillAsync("[id='Input.Password']", "Invited-Pass-2026");
        await p.FillAsync("[id='Input.ConfirmPassword']", "Invited-Pass-2026");
        await invitee.SaveScreenshotAsync("invitation-register.png");
        await p.ClickAsync("#register-submit");

        await p.ExpectPathAsync("/t/acme");
        await Assertions.Expect(p.Locator("#tenant-name")).ToHaveTextAsync("Acme Corporation");
        await Assertions.Expect(p.Locator("#tenant-role")).ToContainTextAsync("Member");
    }

    [Fact]
    public async Task UnknownToken_ShowsAClearMessage_NotAnErrorPage()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;

        var response = await page.GotoAsync("/invitations/accept?token=not-a-real-token");

        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page.Locator("#invitation-error")).ToContainTextAsync("not valid");
        await Assertions.Expect(page.Locator("#accept-invitation")).ToHaveCountAsync(0);
        await session.SaveScreenshotAsync("invitation-invalid.png");
    }

    // The pickup sender writes one .eml per message; the link is in a quoted-printable body (soft line breaks, =3D).
    private static async Task<string> AcceptLinkSentToAsync(string mailFolder, string email)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (Directory.Exists(mailFolder))
            {
                foreach (var file in Directory.GetFiles(mailFolder, "*.eml"))
                {
                    var raw = await File.ReadAllTextAsync(file);
                    if (!raw.Contains($"To: {email}", StringComparison.OrdinalIgnoreCase))
                        continue;
                    var decoded = raw.Replace("=\r\n", "").Replace("=\n", "").Replace("=3D", "=");
                    var match = AcceptLink().Match(decoded);
                    Assert.True(match.Success, $"The invitation to {email} has no accept link:\n{raw}");
                    return match.Value;
                }
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"No email to {email} in {mailFolder}.");
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/invitations/accept\?token=[A-Za-z0-9_\-]+")]
    private static partial Regex AcceptLink();
}
