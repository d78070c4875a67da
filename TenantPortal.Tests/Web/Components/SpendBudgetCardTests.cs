using Bunit;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Web.Components.Tenant.Billing;

namespace TenantPortal.Tests.Web.Components;

// The tenant is on Starter (100,000 API calls included, $0.001 each beyond); today is 10 June 2026.
public class SpendBudgetCardTests : BillingComponentTestContext
{
    [Fact]
    public async Task Owner_SetsABlockingBudget_AndSeesTheOverageAgainstIt()
    {
        await SubscribeAsync();
        await ReportAsync(UsageMetric.ApiCalls, 102_500); // $2.50 of overage
        var card = Render<SpendBudgetCard>(p => p.Add(c => c.Access, SignInInteractivelyAs(TenantRole.Owner)));
        card.WaitForElement("#spend-budget-none");

        card.Find("#spend-budget-amount").Change("10");
        card.FindAll("#spend-budget-action-choice input[type=radio]")[1].Click();
        card.Find("#spend-budget-save").Click();

        card.WaitForAssertion(() => Assert.Contains("$2.50 of $10.00 overage this period", card.Find("#spend-budget-summary").TextContent));
        Assert.Contains("25 %", card.Find("#spend-budget-percent").TextContent);
        Assert.Contains("refused", card.Find("#spend-budget-action").TextContent);
        var stored = await StoredTenantAsync();
        Assert.Equal((1000L, BudgetAction.Block), (stored.SpendBudgetCents, stored.SpendBudgetAction));
    }

    [Fact]
    public async Task Owner_GetsAnInlineError_ForAnAmountBelowOneCent_AndNothingIsStored()
    {
        await SubscribeAsync();
        var card = Render<SpendBudgetCard>(p => p.Add(c => c.Access, SignInInteractivelyAs(TenantRole.Owner)));
        card.WaitForElement("#spend-budget-none");

        card.Find("#spend-budget-amount").Change("0");
        card.Find("#spend-budget-save").Click();

        card.WaitForAssertion(() => Assert.Contains("at least $0.01", card.Markup));
        Assert.Null((await StoredTenantAsync()).SpendBudgetCents);
    }

    [Fact]
    public async Task Admin_SeesTheBudgetReadOnly()
    {
        await SubscribeAsync();
        await UpdateTenantAsync(t => Assert.True(t.SetSpendBudget(50_00, BudgetAction.Alert).IsSuccess));
        var card = Render<SpendBudgetCard>(p => p.Add(c => c.Access, SignInInteractivelyAs(TenantRole.Admin)));

        card.WaitForElement("#spend-budget-summary");

        Assert.True(card.Find("#spend-budget-save").HasAttribute("disabled"));
        Assert.True(card.Find("#spend-budget-remove").HasAttribute("disabled"));
        Assert.True(card.Find("#spend-budget-amount").HasAttribute("disabled"));
        Assert.Contains("Alerts only", card.Find("#spend-budget-action").TextContent);
    }

    [Fact]
    public async Task Free_SaysBudgetsAreForPaidPlans()
    {
        await SetPlanAsync(SubscriptionTier.Free);
        var card = Render<SpendBudgetCard>(p => p.Add(c => c.Access, SignInInteractivelyAs(TenantRole.Owner)));

        card.WaitForElement("#spend-budget-unavailable");

        Assert.Empty(card.FindAll("#spend-budget-save"));
    }
}
