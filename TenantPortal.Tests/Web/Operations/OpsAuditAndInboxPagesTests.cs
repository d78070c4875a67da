using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Data.Services.Billing.Webhooks;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Builders.StripeEventBuilder;

namespace TenantPortal.Tests.Web.Operations;

/// <summary>The fleet audit and Stripe inbox pages in the running portal: served to the operator, refused to tenant users.</summary>
[Collection(PortalCollection.Name)]
public class OpsAuditAndInboxPagesTests(PortalAppFactory portal)
{
    [Theory]
    [InlineData("/ops/audit", "fleet-audit-table")]
    [InlineData("/ops/billing/events", "stripe-events-table")]
    public async Task Page_IsServedToTheOperator(string path, string tableId)
    {
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"id=\"{tableId}\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/ops/audit", "owner@acme.test")]
    [InlineData("/ops/billing/events", "owner@acme.test")]
    [InlineData("/ops/jobs", "admin@acme.test")]
    public async Task Page_IsRefusedToATenantUser(string path, string email)
    {
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, email, PortalAppFactory.DemoPassword);

        var response = await client.GetAsync(path);

        Assert.Contains("/Account/AccessDenied", response.Headers.Location?.ToString() ?? $"{(int)response.StatusCode}");
    }

    [Fact]
    public async Task InboxPage_ShowsTheBanner_WhenAnEventFailed()
    {
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var payload = Event($"evt_{Guid.NewGuid():N}", "invoice.finalized", DateTimeOffset.UtcNow, Invoice($"in_{Guid.NewGuid():N}", $"cus_unknown_{Guid.NewGuid():N}", "open"));
            var receipt = await scope.ServiceProvider.GetRequiredService<StripeWebhookService>()
                .ReceiveAsync(payload, Sign(payload, DateTimeOffset.UtcNow), CancellationToken.None);
            Assert.Equal(WebhookReceiptOutcome.Failed, receipt.Value.Outcome);
        }
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword);

        var body = await client.GetStringAsync("/ops/billing/events");

        Assert.Contains("id=\"stripe-inbox-banner\"", body);
        Assert.Contains("id=\"stripe-inbox-failed\"", body);
    }
}
