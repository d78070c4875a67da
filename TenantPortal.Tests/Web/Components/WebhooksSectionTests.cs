using Bunit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Members;
using TenantPortal.Core.Webhooks;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Webhooks;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Components.Tenant.Settings;

namespace TenantPortal.Tests.Web.Components;

/// <summary>Settings → Webhooks (the bUnit tenant is on Starter: webhooks come with an operator's override).</summary>
public class WebhooksSectionTests : TenantComponentTestContext
{
    public WebhooksSectionTests()
    {
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new WebhookOptions()));
        Services.AddSingleton(new WebhookSecrets(new EphemeralDataProtectionProvider()));
        Services.AddSingleton<IWebhookJobs>(new WebhookTestServices.RecordingWebhookJobs());
        Services.AddScoped<WebhookEndpointService>();
        Services.AddScoped<WebhookDeliveryService>();
    }

    private async Task EntitleAsync()
    {
        await using var db = Database.CrossTenant();
        db.EntitlementOverrides.Add(new EntitlementOverride
        {
            TenantId = Tenant.Id, Feature = EntitlementFeatures.Webhooks, Enabled = true, Reason = "test", CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "test",
        });
        await db.SaveChangesAsync();
    }

    private IRenderedComponent<MudDialogProvider> _dialogs = default!;

    private IRenderedComponent<WebhooksSection> RenderSection(TenantRole role, string waitFor)
    {
        var access = SignInAs(role);
        Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
        var section = Render<WebhooksSection>(p => p.Add(x => x.Access, access).Add(x => x.Actor, ActorOf(role)));
        section.WaitForElement(waitFor);
        return section;
    }

    [Fact]
    public void Section_SaysNotInYourPlan_WithoutTheWebhooksFeature()
    {
        var section = RenderSection(TenantRole.Admin, "#webhooks-not-included");

        Assert.Contains("not in your plan", section.Find("#webhooks-not-included").TextContent);
        Assert.Empty(section.FindAll("#webhook-add"));
    }

    [Fact]
    public async Task AddingAnEndpoint_ShowsItsSecretOnce_AndListsItEnabled()
    {
        await EntitleAsync();
        var section = RenderSection(TenantRole.Admin, "#no-webhook-endpoints");

        section.Find("#webhook-add").Click();
        _dialogs.WaitForElement("#webhook-url").Input("https://hooks.example.invalid/portal");
        _dialogs.Find("#webhook-endpoint-save").Click();

        var secret = _dialogs.WaitForElement("#webhook-secret");
        Assert.StartsWith("whsec_", secret.GetAttribute("value"));
        section.WaitForAssertion(() => Assert.Contains("https://hooks.example.invalid/portal", section.Find("#webhook-endpoints-table").TextContent));
        Assert.Equal("Enabled", section.Find(".webhook-status").TextContent.Trim());
        await using var db = Database.CrossTenant();
        var stored = await db.WebhookEndpoints.SingleAsync();
        Assert.DoesNotContain(secret.GetAttribute("value")!, stored.ProtectedSecret);
        Assert.Equal(WebhookEventTypes.Default.Order(), stored.EventTypes.Order());
    }

    [Fact]
    public async Task EndpointDisabledForFailures_IsShownSo_WithEnableToTurnItBackOn()
    {
        await EntitleAsync();
        await using (var db = Database.CrossTenant())
        {
            var endpoint = WebhookEndpoint.Create(Tenant.Id, "https://hooks.example.invalid/down", null, [WebhookEventTypes.InvoicePaid], "p", DateTimeOffset.UtcNow.AddDays(-4));
            endpoint.RecordFailure(DateTimeOffset.UtcNow.AddDays(-4));
            Assert.True(endpoint.RecordFailure(DateTimeOffset.UtcNow));
            db.WebhookEndpoints.Add(endpoint);
            await db.SaveChangesAsync();
        }

        var section = RenderSection(TenantRole.Admin, "#webhook-endpoints-table");

        Assert.Equal("Disabled after 3 days of failures", section.Find(".webhook-status").TextContent.Trim());
        Assert.Equal("Enable", section.Find(".webhook-toggle").TextContent.Trim());
    }
}
