using System.Net;
using System.Text;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Edge;

/// <summary>
/// Links the portal sends are built from its configured address, never from the request's <c>Host</c>: in Development
/// (any host is served there) a caller who says <c>Host: evil.example</c> still gets links to the portal's own address.
/// </summary>
[Collection(PortalCollection.Name)]
public class LinkHostTests(PortalAppFactory portal)
{
    private const string EvilHost = "evil.example";

    private HttpClient EvilHostClient()
    {
        var client = portal.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Host = EvilHost;
        return client;
    }

    [Fact]
    public async Task ForgotPassword_MailsTheResetLinkOnThePortalsAddress_WhateverTheHostHeader()
    {
        using var client = EvilHostClient();
        var before = MailFiles();

        using var response = await AccountClient.PostFormAsync(client, "/Account/ForgotPassword", "forgot-password",
            new() { ["Input.Email"] = "owner@initech.test" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var message = await NewMailToAsync(before, "owner@initech.test");
        Assert.Contains($"{Origin}/Account/ResetPassword?code=", message);
        Assert.DoesNotContain(EvilHost, message);
    }

    [Fact]
    public async Task InvitationThroughTheApi_MailsTheAcceptLinkOnThePortalsAddress_WhateverTheHostHeader()
    {
        var team = await Teams.CreateAsync(portal);
        var secret = await ApiKeys.CreateByAsync(portal, team.Slug, team.Admin.Email, ApiKeyScopes.MembersWrite);
        using var client = EvilHostClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        var email = $"invitee-{Guid.NewGuid():N}@example.test";
        var before = MailFiles();

        using var response = await client.PostAsync("/api/v1/invitations",
            new StringContent($"{{\"email\":\"{email}\",\"role\":\"Member\"}}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var message = await NewMailToAsync(before, email);
        Assert.Contains($"{Origin}/invitations/accept?token=", message);
        Assert.DoesNotContain(EvilHost, message);
    }

    // The Development portal's address: its first listening address, as Portal:PublicUrl defaults to there.
    private string Origin => portal.ServerAddress.GetLeftPart(UriPartial.Authority);

    private string MailFolder => Path.Combine(portal.DataDirectory, "mail");

    private HashSet<string> MailFiles() => Directory.Exists(MailFolder) ? Directory.GetFiles(MailFolder, "*.eml").ToHashSet() : [];

    // The new .eml to the address, with its quoted-printable soft line breaks undone.
    private async Task<string> NewMailToAsync(HashSet<string> before, string to)
    {
        foreach (var file in Directory.GetFiles(MailFolder, "*.eml").Where(f => !before.Contains(f)))
        {
            var raw = await File.ReadAllTextAsync(file);
            if (raw.Contains($"To: {to}", StringComparison.OrdinalIgnoreCase))
                return raw.Replace("=\r\n", "").Replace("=\n", "").Replace("=3D", "=");
        }
        throw new Xunit.Sdk.XunitException($"No new email to {to} in {MailFolder}.");
    }
}
