using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using MudBlazor.Extensions;
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

        panel.WaitForAssertion(() => Assert.Equal(4, panel.FindAll("#members-table tbody [data-email]").Count));
        foreach (var role in Enum.GetValues<TenantRole>())
        {
            var row = panel.Find($"#members-table [data-email='{EmailOf(role)}']").Closest("tr")!;
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

        panel.WaitForAssertion(() => Assert.Equal(4, panel.FindAll("#members-table tbody [data-email]").Count));
        Assert.Single(panel.FindAll("#invite-button"));
        foreach (var (role, actionable) in new[] { (TenantRole.Owner, false), (TenantRole.Admin, false), (TenantRole.Member, true), (TenantRole.Viewer, true) })
        {
            var row = panel.Find($"#members-table [data-email='{EmailOf(role)}']").Closest("tr")!;
            Assert.Equal(actionable, row.QuerySelector(".mud-select") is not null);
            Assert.Equal(actionable, row.QuerySelector(".remove-member") is not null);
        }
        Assert.Contains("Pending invitations", panel.Markup);
    }

    [Fact]
    public async Task ChoosingARole_AsksForConfirmation_NamingThePersonAndBothRoles_AndChangesNothingBefore()
    {
        var (panel, dialogs) = RenderPanel(TenantRole.Admin);

        ChooseRole(panel, TenantRole.Member, TenantRole.Viewer);

        dialogs.WaitForElement("#change-role-dialog");
        Assert.Contains(EmailOf(TenantRole.Member), dialogs.Find("#change-role-summary").TextContent);
        Assert.Equal("Member", dialogs.Find("#change-role-old").TextContent);
        Assert.Equal("Viewer", dialogs.Find("#change-role-new").TextContent);
        Assert.Equal(TenantRole.Member, await StoredRoleAsync(TenantRole.Member));

        dialogs.Find("#change-role-confirm").Click();

        await WaitForStoredRoleAsync(TenantRole.Member, TenantRole.Viewer);
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#change-role-dialog")));
    }

    [Fact]
    public async Task CancellingARoleChange_KeepsTheRole_AndTheSelectShowsItAgain()
    {
        var (panel, dialogs) = RenderPanel(TenantRole.Admin);
        ChooseRole(panel, TenantRole.Member, TenantRole.Admin);
        dialogs.WaitForElement("#change-role-dialog");

        dialogs.Find("#change-role-cancel").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#change-role-dialog")));
        panel.WaitForAssertion(() => Assert.Equal(TenantRole.Member, SelectOf(panel, TenantRole.Member).Instance.GetState(x => x.Value)));
        Assert.Equal(TenantRole.Member, await StoredRoleAsync(TenantRole.Member));
    }

    [Fact]
    public async Task MakingSomeoneOwner_AsksToTypeTheirEmail_AndConfirmStaysDisabledUntilItMatches()
    {
        var (panel, dialogs) = RenderPanel(TenantRole.Owner);
        ChooseRole(panel, TenantRole.Member, TenantRole.Owner);
        dialogs.WaitForElement("#change-role-email");
        Assert.True(dialogs.Find("#change-role-confirm").HasAttribute("disabled"));

        dialogs.Find("#change-role-email").Input("someone@t.test");
        dialogs.WaitForAssertion(() => Assert.True(dialogs.Find("#change-role-confirm").HasAttribute("disabled")));
        Assert.Equal(TenantRole.Member, await StoredRoleAsync(TenantRole.Member));

        dialogs.Find("#change-role-email").Input(EmailOf(TenantRole.Member).ToUpperInvariant());
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("#change-role-confirm").HasAttribute("disabled")));
        dialogs.Find("#change-role-confirm").Click();

        await WaitForStoredRoleAsync(TenantRole.Member, TenantRole.Owner);
    }

    private (IRenderedComponent<TenantUsersPanel> Panel, IRenderedComponent<MudDialogProvider> Dialogs) RenderPanel(TenantRole role)
    {
        var access = SignInAs(role);
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var panel = Render<TenantUsersPanel>(p => p.Add(x => x.Access, access));
        panel.WaitForAssertion(() => Assert.Equal(4, panel.FindAll("#members-table tbody [data-email]").Count));
        return (panel, dialogs);
    }

    private static IRenderedComponent<MudSelect<TenantRole>> SelectOf(IRenderedComponent<TenantUsersPanel> panel, TenantRole memberRole) =>
        panel.FindComponents<MudSelect<TenantRole>>()
            .Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("aria-label"), $"Role of {EmailOf(memberRole)}"));

    // As picking an item of the open select does: the select reports the chosen value. Not awaited: the handler waits for the dialog.
    private static void ChooseRole(IRenderedComponent<TenantUsersPanel> panel, TenantRole memberRole, TenantRole chosen)
    {
        var select = SelectOf(panel, memberRole);
        _ = panel.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(chosen));
    }

    private async Task<TenantRole> StoredRoleAsync(TenantRole demoUser)
    {
        await using var db = Database.ForTenant(Tenant.Id);
        var userId = ActorOf(demoUser).UserId;
        return await db.Members.Where(m => m.UserId == userId).Select(m => m.Role).SingleAsync();
    }

    private async Task WaitForStoredRoleAsync(TenantRole demoUser, TenantRole expected)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await StoredRoleAsync(demoUser) != expected && waited.Elapsed < TenantPortal.Tests.Infrastructure.TestTimeouts.Generous)
            await Task.Delay(20);
        Assert.Equal(expected, await StoredRoleAsync(demoUser));
    }
}
