using Bunit;
using MudBlazor;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services.Audit.Export;
using TenantPortal.Web.Components.Shared;
using TenantPortal.Web.Components.Tenant.Settings;

namespace TenantPortal.Tests.Web.Components;

/// <summary>The "Export" control of the audit log section: a download link with the filters when the plan includes it, the reason when not.</summary>
public class AuditLogExportTests : TenantComponentTestContext
{
    private IRenderedComponent<AuditLogSection> RenderSection()
    {
        var access = SignInAs(TenantRole.Admin);
        Render<MudPopoverProvider>();
        return Render<AuditLogSection>(p => p.Add(x => x.Access, access).Add(x => x.Actor, ActorOf(TenantRole.Admin)));
    }

    [Fact]
    public void Section_SaysTheExportIsNotInThePlan_AndLinksToThePlans()
    {
        var section = RenderSection();

        section.WaitForAssertion(() => Assert.Single(section.FindAll("#audit-export-not-included")));
        Assert.Empty(section.FindAll("#audit-export-button"));
        Assert.Contains("not included in your plan", section.Find("#audit-export-not-included").TextContent);
        Assert.Equal($"/t/{Tenant.Slug}/billing", section.Find("#audit-export-not-included a").GetAttribute("href"));
    }

    [Fact]
    public async Task Section_OffersTheDownload_WhenThePlanIncludesIt()
    {
        await using (var db = Database.CrossTenant())
        {
            db.EntitlementOverrides.Add(new EntitlementOverride
            {
                TenantId = Tenant.Id, Feature = EntitlementFeatures.AuditExport, Enabled = true, Reason = "test", CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "test",
            });
            await db.SaveChangesAsync();
        }

        var section = RenderSection();

        section.WaitForAssertion(() => Assert.Single(section.FindAll("#audit-export-button")));
        var button = section.Find("#audit-export-button");
        Assert.Equal($"/t/{Tenant.Slug}/settings/audit-log/export?format=csv", button.GetAttribute("href"));
        Assert.True(button.HasAttribute("download"));
        Assert.Empty(section.FindAll("#audit-export-not-included"));
    }

    [Fact]
    public void Link_SendsThePickedDays_AsAnExclusiveUtcRange_WithTheFilters()
    {
        var link = AuditExportBar.Link("/ops/audit/export", AuditExportFormat.Json, "member.", "ann@", new DateTime(2026, 11, 1), new DateTime(2026, 11, 30), "acme");

        Assert.Equal("/ops/audit/export?format=json&from=2026-11-01T00%3A00%3A00Z&to=2026-12-01T00%3A00%3A00Z&action=member.&actor=ann@&tenant=acme", link);
    }
}
