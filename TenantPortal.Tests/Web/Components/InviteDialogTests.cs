using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Web.Components.Tenant;

namespace TenantPortal.Tests.Web.Components;

public class InviteDialogTests : TenantComponentTestContext
{
    private IRenderedComponent<MudPopoverProvider>? _popovers;

    [Theory]
    [InlineData("", "Enter the email address of the person to invite.")]
    [InlineData("not-an-email", "'not-an-email' is not an email address")]
    public async Task Submit_ShowsTheMessage_AndCallsNoService_WhenTheEmailIsEmptyOrInvalid(string email, string message)
    {
        var provider = await OpenAsync(SignInAs(TenantRole.Admin));
        provider.Find("#invite-email").Input(email);

        provider.Find("#invite-submit").Click();

        provider.WaitForAssertion(() => Assert.Contains(message, provider.Find(".mud-input-helper-text.mud-input-error").TextContent));
        Assert.Empty(Mail.Sent);
        Assert.Equal(0, await InvitationCountAsync());
        Assert.Single(provider.FindAll("#invite-dialog"));
    }

    [Fact]
    public async Task Submit_ShowsTheServiceError_OnTheEmailField_ForSomeoneAlreadyInTheTeam()
    {
        var provider = await OpenAsync(SignInAs(TenantRole.Admin));
        provider.Find("#invite-email").Input(EmailOf(TenantRole.Viewer));

        provider.Find("#invite-submit").Click();

        provider.WaitForAssertion(() =>
            Assert.Contains("is already a member of this workspace", provider.Find(".mud-input-helper-text.mud-input-error").TextContent));
        Assert.Empty(Mail.Sent);
    }

    [Fact]
    public async Task RoleChoices_StopAtTheInvitersOwnRole_ForAnAdmin()
    {
        var provider = await OpenAsync(SignInAs(TenantRole.Admin));

        provider.Find("#invite-role .mud-input-control").MouseDown();

        // The choices open in a popover, which the popover provider renders.
        var popovers = _popovers!;
        popovers.WaitForAssertion(() => Assert.NotEmpty(popovers.FindAll("#invite-role-admin")));
        Assert.Empty(popovers.FindAll("#invite-role-owner"));
        Assert.Single(popovers.FindAll("#invite-role-member"));
        Assert.Single(popovers.FindAll("#invite-role-viewer"));
    }

    [Fact]
    public async Task Submit_SendsTheInvitation_AndCloses_WhenTheInputIsValid()
    {
        var provider = await OpenAsync(SignInAs(TenantRole.Owner));
        provider.Find("#invite-email").Input("new.person@example.test");

        provider.Find("#invite-submit").Click();

        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("#invite-dialog")));
        var sent = Assert.Single(Mail.Sent);
        Assert.Equal("new.person@example.test", sent.To);
        Assert.Contains($"{PublicUrl}/invitations/accept?token=", sent.TextBody);
        Assert.Equal(1, await InvitationCountAsync());
    }

    [Fact]
    public async Task Open_ShowsTheSeatsLeft_CountingPendingInvitations()
    {
        // Starter: 10 seats; 4 members and one pending invitation leave 5.
        var access = SignInAs(TenantRole.Admin);
        Assert.True((await Services.GetRequiredService<InvitationService>().CreateAsync(ActorOf(TenantRole.Admin),
            new InviteRequest("pending.person@example.test", TenantRole.Viewer), new Uri(PublicUrl + "/invitations/accept"), CancellationToken.None)).IsSuccess);

        var provider = await OpenAsync(access);

        provider.WaitForAssertion(() => Assert.Contains("5 seats left", provider.Find("#invite-seats").TextContent));
        Assert.Contains("1 pending invitation", provider.Find("#invite-seats").TextContent);
        Assert.False(provider.Find("#invite-submit").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Open_RefusesToInvite_WhenNoSeatIsLeft()
    {
        await using (var db = Database.ForTenant(Tenant.Id))
        {
            db.QuotaOverrides.Add(new TenantPortal.Core.Tenants.QuotaOverride { TenantId = Tenant.Id, Metric = TenantPortal.Core.Usage.UsageMetric.Users, Limit = 4 });
            await db.SaveChangesAsync();
        }
        var provider = await OpenAsync(SignInAs(TenantRole.Admin));
        provider.Find("#invite-email").Input("one.too.many@example.test");

        provider.WaitForAssertion(() => Assert.Contains("No seats left", provider.Find("#invite-no-seats").TextContent));
        Assert.True(provider.Find("#invite-submit").HasAttribute("disabled"));
        Assert.Empty(provider.FindAll("#invite-seats"));
        Assert.Equal(0, await InvitationCountAsync());
    }

    // The dialog as the Users tab opens it: through the dialog service, inside the providers of the layout.
    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(TenantAccess access)
    {
        _popovers = Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<InviteDialog> { { d => d.Access, access } };
        await provider.InvokeAsync(() => dialogs.ShowAsync<InviteDialog>("Invite", parameters));
        provider.WaitForElement("#invite-submit");
        return provider;
    }
}
