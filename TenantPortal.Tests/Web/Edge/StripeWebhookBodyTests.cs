using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Data;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Builders.StripeEventBuilder;

namespace TenantPortal.Tests.Web.Edge;

/// <summary>A delivery whose signature holds but whose body is no Stripe event is a 400 naming the body, and stores nothing.</summary>
[Collection(PortalCollection.Name)]
public class StripeWebhookBodyTests(PortalAppFactory portal)
{
    public static TheoryData<string> Bodies() =>
    [
        "not json", "{", "{\"id\":", "{\"id\":\"evt_x\",}", "[]", "[1,2]", "\"evt\"", "42", "null", "true", "\u00ff\u00fe", "",
        "{\"id\":42,\"object\":\"event\",\"type\":\"invoice.paid\"}", "{\"id\":\"\\ud800\",\"object\":\"event\",\"type\":\"invoice.paid\"}",
        "{\"id\":\"evt_x\",\"object\":\"event\"}",
    ];

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task SignedBody_ThatIsNotAStripeEvent_Is400NamingTheBody(string payload)
    {
        using var client = portal.CreateBrowserLikeClient();
        var before = await InboxCountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stripe/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", Sign(payload, DateTimeOffset.UtcNow));

        using var response = await client.SendAsync(request);

        await ApiResponses.AssertProblemAsync(response, HttpStatusCode.BadRequest, code: null, field: "body");
        Assert.Equal(before, await InboxCountAsync());
    }

    private async Task<int> InboxCountAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().StripeWebhookEvents.CountAsync();
    }
}
