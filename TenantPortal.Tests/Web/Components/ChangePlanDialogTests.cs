using Microsoft.Extensions.Configuration;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Web.Components.Tenant.Billing;

namespace TenantPortal.Tests.Web.Components;

// The tenant is on Starter (monthly); today is 10 June 2026.
public class ChangePlanDialogTests : BillingComponentTestContext
{
    private IDialogReference? _dialog;

    [Fact]
    public async Task Open_ShowsTheFourPlans_WithTheirMonthlyPricesAndQuotas()
    {
        var provider = await OpenAsync(TenantRole.Owner);

        Assert.Equal(["Free", "Starter", "Professional", "Enterprise"], provider.FindAll(".plan-option").Select(p => p.GetAttribute("data-tier")));
        Assert.Contains("$0.00", Plan(provider, "free"));
        Assert.Contains("$49.00", Plan(provider, "starter"));
        Assert.Contains("$199.00", Plan(provider, "professional"));
        Assert.Contains("$999.00", Plan(provider, "enterprise"));
        Assert.Equal("1,000,000", Quota(provider, "professional", "api_calls"));
        Assert.Equal("200", Quota(provider, "professional", "gpu_hours"));
        Assert.Equal("50", Quota(provider, "professional", "users"));
        Assert.Equal("Unlimited", Quota(provider, "enterprise", "storage_gb"));
        Assert.Contains("Hard limit", Plan(provider, "free"));
        Assert.Contains("$0.001 per call", Plan(provider, "starter"));
        Assert.Contains("$2.50 per GPU hour", Plan(provider, "professional"));
        Assert.Equal("True", provider.Find("#plan-option-starter").GetAttribute("data-current"));
        Assert.Single(provider.FindAll(".current-plan-chip"));
    }

    [Fact]
    public async Task Open_ListsEachPlansFeatures_FromTheEntitlementConfiguration()
    {
        Services.AddSingleton(TenantPortal.Data.Options.PlanFeatureOptions.Read(new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection([new("Plans:Starter:Features:sso", "true"), new("Plans:Professional:Features:max_api_keys", "40")]).Build()));
        var provider = await OpenAsync(TenantRole.Owner);

        Assert.Equal(["sso", "scim", "webhooks", "audit_export", "max_api_keys", "credits"],
            provider.FindAll("#plan-option-free .plan-feature").Select(f => f.GetAttribute("data-feature")));
        Assert.Equal("Not included", Feature(provider, "free", "sso"));
        Assert.Equal("Included", Feature(provider, "starter", "sso"));
        Assert.Equal("Not included", Feature(provider, "starter", "webhooks"));
        Assert.Equal("Included", Feature(provider, "professional", "audit_export"));
        Assert.Equal("2", Feature(provider, "free", "max_api_keys"));
        Assert.Equal("40", Feature(provider, "professional", "max_api_keys"));
        Assert.Equal("Unlimited", Feature(provider, "enterprise", "max_api_keys"));
        Assert.Equal("Included", Feature(provider, "starter", "credits"));
        Assert.Contains("Single sign-on (SSO)", Plan(provider, "enterprise"));
    }

    private static string Feature(IRenderedComponent<MudDialogProvider> provider, string tier, string feature) =>
        provider.Find($"#plan-option-{tier} .plan-feature[data-feature={feature}] dd").TextContent.Trim();

    [Fact]
    public async Task AnnualToggle_ShowsTenTimesTheMonthlyPrice_AndTwoMonthsFree()
    {
        var provider = await OpenAsync(TenantRole.Owner);

        provider.FindAll("#cycle-toggle .mud-toggle-item").Single(b => b.TextContent.Contains("Annual")).Click();

        provider.WaitForAssertion(() => Assert.Contains("$1,990.00", Plan(provider, "professional")));
        Assert.Contains("/ year", Plan(provider, "professional"));
        Assert.Contains("2 months free", Plan(provider, "professional"));
        Assert.Contains("$490.00", Plan(provider, "starter"));
        Assert.Contains("$9,990.00", Plan(provider, "enterprise"));
        Assert.Contains("Free forever", Plan(provider, "free"));
    }

    [Fact]
    public async Task ChoosingAPlan_ShowsThePreview_WithSummaryProrationTotalAndDate()
    {
        await SubscribeAsync();
        var provider = await OpenAsync(TenantRole.Owner);

        provider.Find("#plan-option-professional").Click();

        provider.WaitForAssertion(() => Assert.Equal("Upgrade", provider.Find("#plan-preview").GetAttribute("data-kind")));
        Assert.Contains("Professional applies at once", provider.Find("#plan-preview-summary").TextContent);
        Assert.Equal("$199.00 / month", provider.Find("#preview-price").TextContent.Trim());
        Assert.StartsWith("$", provider.Find("#preview-proration").TextContent.Trim());
        Assert.StartsWith("$", provider.Find("#preview-total").TextContent.Trim());
        Assert.Contains("10 June 2026", provider.Find("#preview-effective").TextContent);
        Assert.False(provider.Find("#plan-confirm").HasAttribute("disabled"));
        Assert.Contains("Upgrade now", provider.Find("#plan-confirm").TextContent);
    }

    [Fact]
    public async Task Blockers_AreListed_AndConfirmIsDisabled_WhenUsageIsAboveTheLowerPlansLimits()
    {
        await ReportAsync(UsageMetric.ApiCalls, 20_000);
        await ReportAsync(UsageMetric.Studies, 2_000);
        var provider = await OpenAsync(TenantRole.Owner);

        provider.Find("#plan-option-free").Click();

        provider.WaitForAssertion(() => Assert.Equal(2, provider.FindAll("#plan-blockers li.plan-blocker").Count));
        Assert.Contains(provider.FindAll("li.plan-blocker"), li => li.TextContent.Contains("API calls"));
        Assert.Contains(provider.FindAll("li.plan-blocker"), li => li.TextContent.Contains("Studies"));
        Assert.True(provider.Find("#plan-confirm").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Confirm_ChangesThePlan_AndClosesWithTheOutcome()
    {
        var provider = await OpenAsync(TenantRole.Owner);
        provider.Find("#plan-option-professional").Click();
        provider.WaitForAssertion(() => Assert.Equal("Subscribe", provider.Find("#plan-preview").GetAttribute("data-kind")));

        provider.Find("#plan-confirm").Click();

        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("#change-plan-dialog")));
        var result = await _dialog!.Result;
        var outcome = Assert.IsType<PlanChangeOutcome>(result!.Data);
        Assert.Null(outcome.RedirectUrl);
        Assert.Contains("Professional", outcome.Message);
        var stored = await StoredTenantAsync();
        Assert.Equal((SubscriptionTier.Professional, TenantStatus.Active), (stored.Tier, stored.Status));
    }

    [Fact]
    public async Task Confirm_IsDisabled_ForAnAdmin()
    {
        var provider = await OpenAsync(TenantRole.Admin);

        provider.Find("#plan-option-professional").Click();

        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("#plan-preview")));
        Assert.True(provider.Find("#plan-confirm").HasAttribute("disabled"));
    }

    private static string Plan(IRenderedComponent<MudDialogProvider> provider, string tier) =>
        provider.Find($"#plan-option-{tier}").TextContent;

    private static string Quota(IRenderedComponent<MudDialogProvider> provider, string tier, string metric) =>
        provider.Find($"#plan-option-{tier} .plan-quota[data-metric='{metric}'] dd b").TextContent.Trim();

    // The dialog as the Billing tab opens it: through the dialog service, with the overview of the viewer.
    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(TenantRole role)
    {
        SignInAs(role);
        Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        var actor = await ActorOfAsync(role);
        var overview = await Services.GetRequiredService<BillingService>().GetOverviewAsync(actor, CancellationToken.None);
        var parameters = new DialogParameters<ChangePlanDialog>
        {
            { d => d.Overview, overview.Value },
            { d => d.Actor, actor },
            { d => d.ReturnUrl, new Uri("http://localhost/t/bunit-team/billing") },
        };
        _dialog = await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<ChangePlanDialog>("Change plan", parameters));
        provider.WaitForElement("#plan-options");
        return provider;
    }
}
