using Bunit;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Web.Components.Tenant;

namespace TenantPortal.Tests.Web.Components;

public class TenantUsersPanelTests : TenantComponentTestContext
{
    [Fact]
    public void Render_ListsTheMembersWithRoleBadges_AndNoAdminActions_ForAMember()
    {
        var access = SignInAs(TenantRole.Member);
        Render<MudPopoverProvider>();

        var panel = Render<TenantUsersPanel>(p => p.Add(x => x.Access, access));

        panel.WaitForAssertion(() => Assert.Equal(4, panel.FindAll("#members-table tbody tr[data-email]").Count));
        foreach (var role in Enum.GetValues<TenantRole>())
        {
            var row = panel.Find($"#members-table tr[data-email='{EmailOf(role)}']");
            Assert.Equal(role.ToString(), row.QuerySelector(".mud-chip[data-role]")?.GetAttribute("data-role"));
            Assert.Contains($"{role} Person", row.TextContent);
        }
        Assert.Empty(panel.FindAll("#invite-button"));
        Assert.Empty(panel.FindAll(".remove-member"));
        Assert.Empty(panel.FindAll("#members-table .mud-select"));
        Assert.Empty(panel.FindAll("#invitations-table"));
        Assert.DoesNotContain("Pending invitations", panel.Markup);
    }

    [Fact]
    public void Render_OffersRoleChangesAndRemoval_ButNotOnTheOwnerOrThemselves_ForAnAdmin()
    {
        var access = SignInAs(TenantRole.Admin);
        Render<MudPopoverProvider>();

        var panel = Render<TenantUsersPanel>(p => p.Add(x => x.Access, access));

        panel.WaitForAssertion(() => Assert.Equal(4, panel.FindAll("#members-table tbody tr[data-email]").Count));
        Assert.Single(panel.FindAll("#invite-button"));
        foreach (var (role, actionable) in new[] { (TenantRole.Owner, false), (TenantRole.Admin, false), (TenantRole.Member, true), (TenantRole.Viewer, true) })
        {
            var row = panel.Find($"#members-table tr[data-email='{EmailOf(role)}']");
            Assert.Equal(actionable, row.QuerySelector(".mud-select") is not null);
            Assert.Equal(actionable, row.QuerySelector(".remove-member") is not null);
        }
        Assert.Contains("Pending invitations", panel.Markup);
    }
}
