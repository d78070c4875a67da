using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Quotas;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Operations;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Components.Ops;

namespace TenantPortal.Tests.Web.Components.Ops;

/// <summary>The operators' action dialogs: nothing can be confirmed without a reason, and the chosen values come back.</summary>
public class OperatorActionDialogsTests : BunitTestContext
{
    private IDialogReference? _dialog;

    private static readonly OperatorUsageRow ApiCalls = new(UsageMetric.ApiCalls, 9_500, 10_000, null, null, 10_000, 95, QuotaBand.Red);

    [Fact]
    public async Task ChangeTierDialog_CantBeConfirmed_WithoutATierAndAReason()
    {
        var provider = await OpenAsync<ChangeTierDialog>(new DialogParameters<ChangeTierDialog>
        {
            { d => d.TenantName, "Initech" }, { d => d.CurrentTier, SubscriptionTier.Free },
        }, "#tier-options");

        Assert.True(provider.Find("#tier-confirm").HasAttribute("disabled"));
        Assert.True(provider.Find("#tier-option-free").HasAttribute("disabled"));
        provider.Find("#tier-option-starter").Click();
        Assert.True(provider.Find("#tier-confirm").HasAttribute("disabled"));
        provider.Find("#tier-reason").Input("   ");
        Assert.True(provider.Find("#tier-confirm").HasAttribute("disabled"));
    }

    [Fact]
    public async Task ChangeTierDialog_ClosesWithTheChosenTierAndTheTrimmedReason()
    {
        var provider = await OpenAsync<ChangeTierDialog>(new DialogParameters<ChangeTierDialog>
        {
            { d => d.TenantName, "Initech" }, { d => d.CurrentTier, SubscriptionTier.Free }, { d => d.Subscribed, true },
        }, "#tier-options");
        Assert.Contains("charged from now", provider.Markup);

        provider.Find("#tier-option-professional").Click();
        provider.Find("#tier-reason").Input(" enterprise pilot ");
        provider.Find("#tier-confirm").Click();

        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("#change-tier-dialog")));
        var result = await _dialog!.Result;
        Assert.Equal(new TierChangeChoice(SubscriptionTier.Professional, "enterprise pilot"), result!.Data);
    }

    [Fact]
    public async Task QuotaOverrideDialog_ShowsThePlanLimit_AndCantBeConfirmedWithoutAReason()
    {
        var provider = await OpenAsync<QuotaOverrideDialog>(new DialogParameters<QuotaOverrideDialog>
        {
            { d => d.TenantName, "Initech" }, { d => d.Usage, ApiCalls },
        }, "#override-plan-limit");

        Assert.Equal("10,000", provider.Find("#override-plan-limit").TextContent.Trim());
        Assert.Equal("none", provider.Find("#override-current").TextContent.Trim());
        Assert.Empty(provider.FindAll("#override-clear"));
        provider.Find("#override-limit").Input("50000");
        Assert.True(provider.Find("#override-confirm").HasAttribute("disabled"));
    }

    [Fact]
    public async Task QuotaOverrideDialog_ClosesWithTheNewLimitAndReason()
    {
        var provider = await OpenAsync<QuotaOverrideDialog>(new DialogParameters<QuotaOverrideDialog>
        {
            { d => d.TenantName, "Initech" }, { d => d.Usage, ApiCalls },
        }, "#override-plan-limit");

        provider.Find("#override-limit").Input("50000");
        provider.Find("#override-reason").Input("launch week");
        provider.WaitForAssertion(() => Assert.False(provider.Find("#override-confirm").HasAttribute("disabled")));
        provider.Find("#override-confirm").Click();

        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("#quota-override-dialog")));
        var result = await _dialog!.Result;
        Assert.Equal(new QuotaOverrideChoice(UsageMetric.ApiCalls, 50_000, "launch week"), result!.Data);
    }

    [Fact]
    public async Task QuotaOverrideDialog_ClearsAnExistingOverride_WithNoLimit()
    {
        var overridden = ApiCalls with { Override = PlanCatalog.Unlimited, Limit = PlanCatalog.Unlimited, Percentage = null, Band = QuotaBand.Green };
        var provider = await OpenAsync<QuotaOverrideDialog>(new DialogParameters<QuotaOverrideDialog>
        {
            { d => d.TenantName, "Initech" }, { d => d.Usage, overridden },
        }, "#override-plan-limit");
        Assert.Equal("unlimited", provider.Find("#override-current").TextContent.Trim());
        Assert.True(provider.Find("#override-clear").HasAttribute("disabled"));

        provider.Find("#override-reason").Input("launch over");
        provider.Find("#override-clear").Click();

        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("#quota-override-dialog")));
        var result = await _dialog!.Result;
        Assert.Equal(new QuotaOverrideChoice(UsageMetric.ApiCalls, null, "launch over"), result!.Data);
    }

    [Theory]
    [InlineData("RLO")]
    [InlineData("NUL")]
    [InlineData("NEL")]
    public async Task ReasonDialog_ShowsTheTextRuleUnderTheReason_AndCantBeConfirmed(string character)
    {
        var provider = await OpenAsync<OperatorReasonDialog>(new DialogParameters<OperatorReasonDialog>
        {
            { d => d.Title, "Suspend Initech" }, { d => d.ConfirmText, "Suspend" },
        }, "#action-reason");

        provider.Find("#action-reason").Input($"abuse{HostileText.Characters[character]}report");

        provider.WaitForAssertion(() => Assert.Contains(HostileText.CodePoint(character), ErrorUnder(provider.Find("#action-reason"))));
        Assert.Contains("The reason contains", ErrorUnder(provider.Find("#action-reason")));
        Assert.True(provider.Find("#action-confirm").HasAttribute("disabled"));

        provider.Find("#action-reason").Input("abuse report");

        provider.WaitForAssertion(() => Assert.False(provider.Find("#action-confirm").HasAttribute("disabled")));
        Assert.Equal("", ErrorUnder(provider.Find("#action-reason")));
    }

    [Fact]
    public async Task ChangeTierDialog_ShowsTheTextRuleUnderTheReason_AndCantBeConfirmed()
    {
        var provider = await OpenAsync<ChangeTierDialog>(new DialogParameters<ChangeTierDialog>
        {
            { d => d.TenantName, "Initech" }, { d => d.CurrentTier, SubscriptionTier.Free },
        }, "#tier-options");
        provider.Find("#tier-option-starter").Click();

        provider.Find("#tier-reason").Input("sales\u2066deal");

        provider.WaitForAssertion(() => Assert.Contains("(U+2066)", ErrorUnder(provider.Find("#tier-reason"))));
        Assert.True(provider.Find("#tier-confirm").HasAttribute("disabled"));
    }

    // The error text MudBlazor renders under an input: the helper line of the input's control.
    private static string ErrorUnder(AngleSharp.Dom.IElement input) =>
        input.Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent ?? "";

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync<TDialog>(DialogParameters<TDialog> parameters, string ready) where TDialog : Microsoft.AspNetCore.Components.IComponent
    {
        Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        _dialog = await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<TDialog>("", parameters));
        provider.WaitForElement(ready);
        return provider;
    }
}
