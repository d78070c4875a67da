using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Web.Components.Tenant.Settings;

namespace TenantPortal.Tests.Web.Components;

/// <summary>The custom domain in Settings → Details: the portal's own hosts are refused under the field, and the form says whether the domain routes.</summary>
public class TenantDetailsFormTests : TenantComponentTestContext
{
    [Fact]
    public async Task Save_RefusesThePortalsOwnHost_UnderTheField_AndKeepsTheOldDomain()
    {
        var form = RenderForm();

        await form.InvokeAsync(() => form.Find("#settings-custom-domain").Change("PORTAL.test."));
        await form.InvokeAsync(() => form.Find("#settings-save").Click());

        form.WaitForAssertion(() => Assert.Contains("one of the portal's own addresses", form.Markup));
        await using var db = Database.CrossTenant();
        Assert.Null((await db.Tenants.SingleAsync(t => t.Id == Tenant.Id)).CustomDomain);
    }

    [Fact]
    public async Task ASavedDomain_IsShownAsNotVerified_UntilItIs()
    {
        var form = RenderForm();

        await form.InvokeAsync(() => form.Find("#settings-custom-domain").Change("Portal.Example-Corp.COM"));
        await form.InvokeAsync(() => form.Find("#settings-save").Click());

        form.WaitForAssertion(() => Assert.Contains("Not verified yet", form.Markup));
        Assert.Equal("portal.example-corp.com", form.Find("#settings-custom-domain").GetAttribute("value"));
    }

    private IRenderedComponent<TenantDetailsForm> RenderForm()
    {
        var access = SignInAs(TenantRole.Admin);
        Render<MudPopoverProvider>();
        var form = Render<TenantDetailsForm>(p => p.Add(x => x.Access, access).Add(x => x.Actor, ActorOf(TenantRole.Admin)));
        form.WaitForAssertion(() => Assert.Single(form.FindAll("#settings-custom-domain")));
        return form;
    }
}
