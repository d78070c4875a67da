using System.Net;
using System.Text;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Edge;

/// <summary>
/// In production every link the portal mails is on <c>Portal:PublicUrl</c>, and a request on a host that is not the
/// portal's is refused before it can ask for one.
/// </summary>
public class ProductionLinkTests(ProductionPortalFactory production) : IClassFixture<ProductionPortalFactory>
{
    private const string EvilOrigin = "https://evil.example";

    [Fact]
    public async Task ForgotPassword_MailsTheResetLinkOnPortalPublicUrl()
    {
        using var client = production.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri(ProductionPortalFactory.PublicUrl) });
        var before = production.Mail.Sent.Count;

        using var response = await AccountClient.PostFormAsync(client, "/Account/ForgotPassword", "forgot-password",
            new() { ["Input.Email"] = PortalAppFactory.OperatorEmail });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var mail = Assert.Single(production.Mail.Sent.Skip(before));
        Assert.Contains($"{ProductionPortalFactory.PublicUrl}/Account/ResetPassword?code=", mail.TextBody);
    }

    [Fact]
    public async Task ForgotPassword_OnAnotherHost_Is400_AndMailsNothing()
    {
        using var client = production.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri(EvilOrigin) });
        var before = production.Mail.Sent.Count;

        using var page = await client.GetAsync("/Account/ForgotPassword");
        using var post = await client.PostAsync("/Account/ForgotPassword", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = PortalAppFactory.OperatorEmail, ["_handler"] = "forgot-password",
        }));

        await AssertProblemAsync(page, HttpStatusCode.BadRequest, "unknown_host");
        await AssertProblemAsync(post, HttpStatusCode.BadRequest, "unknown_host");
        Assert.Equal(before, production.Mail.Sent.Count);
    }

    [Fact]
    public async Task InvitationThroughTheApi_MailsTheAcceptLinkOnPortalPublicUrl()
    {
        using var client = await KeyClientAsync(ProductionPortalFactory.PublicUrl);
        var email = $"invitee-{Guid.NewGuid():N}@example.test";

        using var response = await client.PostAsync("/api/v1/invitations", Invitation(email));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var mail = Assert.Single(production.Mail.Sent, m => m.To == email);
        Assert.Contains($"{ProductionPortalFactory.PublicUrl}/invitations/accept?token=", mail.TextBody);
    }

    [Fact]
    public async Task InvitationThroughTheApi_OnAnotherHost_Is400_AndMailsNothing()
    {
        using var client = await KeyClientAsync(EvilOrigin);
        var email = $"invitee-{Guid.NewGuid():N}@example.test";

        using var response = await client.PostAsync("/api/v1/invitations", Invitation(email));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "unknown_host");
        Assert.DoesNotContain(production.Mail.Sent, m => m.To == email);
    }

    private static StringContent Invitation(string email) => new($"{{\"email\":\"{email}\",\"role\":\"Member\"}}", Encoding.UTF8, "application/json");

    // A key of a new team's admin, sent to the given origin.
    private async Task<HttpClient> KeyClientAsync(string origin)
    {
        var team = await Teams.CreateAsync(production);
        var secret = await ApiKeys.CreateByAsync(production, team.Slug, team.Admin.Email, ApiKeyScopes.MembersWrite);
        var client = production.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri(origin) });
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        return client;
    }
}
