using Bunit;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services;
using TenantPortal.Web.Components.Ops;
using TenantPortal.Web.Components.Tenant;
using TenantPortal.Web.Components.Tenant.Billing;

namespace TenantPortal.Tests.Web.Components;

// The panels on TenantPanel: with nobody signed in (the session ended) each says so, naming what it would have shown.
public class TenantPanelSessionEndedTests : BillingComponentTestContext
{
    private TenantAccess SignedOutAccess()
    {
        AddAuthorization();
        return new TenantAccess(Tenant.Id, Tenant.Slug, Tenant.Name, Tenant.Tier, Tenant.Status, TenantRole.Owner);
    }

    [Fact]
    public void UsersPanel_SaysTheSessionEnded()
    {
        var panel = Render<TenantUsersPanel>(p => p.Add(c => c.Access, SignedOutAccess()));
        Assert.Equal("Your session has ended. Log in again to see the team.", panel.Find("#members-error").TextContent.Trim());
        Assert.Empty(panel.FindAll("#members-table"));
    }

    [Fact]
    public void BillingPanel_SaysTheSessionEnded()
    {
        var panel = Render<BillingPanel>(p => p.Add(c => c.Access, SignedOutAccess()));
        Assert.Equal("Your session has ended. Log in again to see billing.", panel.Find("#billing-error").TextContent.Trim());
    }

    [Fact]
    public void SpendBudgetCard_SaysTheSessionEnded()
    {
        var card = Render<SpendBudgetCard>(p => p.Add(c => c.Access, SignedOutAccess()));
        Assert.Equal("Your session has ended. Log in again to see the spend budget.", card.Find("#spend-budget-error").TextContent.Trim());
    }

    [Fact]
    public void CreditsCard_SaysTheSessionEnded()
    {
        var card = Render<CreditsCard>(p => p.Add(c => c.Access, SignedOutAccess()));
        Assert.Equal("Your session has ended. Log in again to see your credits.", card.Find("#credits-error").TextContent.Trim());
    }

    [Fact]
    public void OpsCreditsCard_SaysTheSessionEnded()
    {
        AddAuthorization();
        var card = Render<OpsCreditsCard>(p => p.Add(c => c.TenantId, Tenant.Id));
        Assert.Equal("Your session has ended. Log in again.", card.Find("#ops-credits-error").TextContent.Trim());
    }
}
