using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Web.Components.Tenant;

namespace TenantPortal.Tests.Web.Components;

/// <summary>The Team tab marks a member their directory suspended (SCIM <c>active=false</c>), and only them.</summary>
public class TenantUsersPanelSuspensionTests : TenantComponentTestContext
{
    [Fact]
    public async Task Render_MarksTheSuspendedMember_SuspendedByTheDirectory()
    {
        await using (var db = Database.CrossTenant())
        {
            var viewer = await db.Members.SingleAsync(m => m.TenantId == Tenant.Id && m.Role == TenantRole.Viewer);
            viewer.Suspend(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        var access = SignInAs(TenantRole.Member);
        Render<MudPopoverProvider>();

        var panel = Render<TenantUsersPanel>(p => p.Add(x => x.Access, access));

        panel.WaitForAssertion(() => Assert.Equal(4, panel.FindAll("#members-table tbody [data-email]").Count));
        var row = panel.Find($"#members-table [data-email='{EmailOf(TenantRole.Viewer)}']").Closest("tr")!;
        Assert.Equal("Suspended (directory)", row.QuerySelector(".member-suspended")?.TextContent.Trim());
        Assert.Single(panel.FindAll(".member-suspended"));
    }
}
