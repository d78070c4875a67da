using System.Net;
using System.Text;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Edge;

/// <summary>
/// A JSON string may escape half of a surrogate pair (<c>"\ud800"</c>): valid JSON, but no text. Every API body
/// answers it with a 400 naming where it is, instead of the 500 reading it threw (found by the hostile input sweep).
/// </summary>
[Collection(PortalCollection.Name)]
public class ApiBodyTextTests(PortalAppFactory portal)
{
    [Theory]
    [InlineData("PATCH", "/api/v1/tenant", "{\"customDomain\":\"\\ud800.example\"}", "customDomain")]
    [InlineData("PATCH", "/api/v1/tenant", "{\"\\udc00\":1}", "body")]
    [InlineData("POST", "/api/v1/invitations", "{\"email\":\"\\udfff@x.example\",\"role\":\"Member\"}", "email")]
    [InlineData("POST", "/api/v1/quota/check", "{\"metric\":\"\\ud800\",\"amount\":1}", "metric")]
    [InlineData("POST", "/api/v1/usage", "{\"events\":[{\"id\":\"\\ud800\",\"metric\":\"api_calls\",\"quantity\":1,\"timestamp\":\"2026-01-01T00:00:00Z\"}]}", "events[0].id")]
    public async Task AStringThatIsNotText_Is400NamingIt(string method, string path, string body, string field)
    {
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, code: null, field);
    }
}
