using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Data.Services.Members;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>The Users tab: members and pending invitations of the current tenant.</summary>
public partial class TenantUsersPanel
{
    private IReadOnlyList<MemberRow>? _members;
    private IReadOnlyList<InvitationRow>? _invitations;
    private bool _busy;
    // Bumped on every load so that a role select whose change failed is rebuilt showing the stored role.
    private int _version;

    [Inject] private MemberService Members { get; set; } = default!;
    [Inject] private InvitationService Invitations { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private PortalAddresses Addresses { get; set; } = default!;

    /// <summary>The user's access to the tenant shown; the role decides which actions appear.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    private bool IsManager => Access.Can(TenantPermission.ChangeRoles) || Access.Can(TenantPermission.RemoveMembers);

    // Never a role above one's own.
    private IEnumerable<TenantRole> AssignableRoles =>
        Enum.GetValues<TenantRole>().Where(r => r <= Access.Role).OrderByDescending(r => r);

    // Not one's own row (leaving is in Settings), and an Owner only by an Owner.
    private bool CanChangeRoleOf(MemberRow member) =>
        Access.Can(TenantPermission.ChangeRoles) && member.UserId != Actor?.UserId && member.Role <= Access.Role;

    private bool CanRemove(MemberRow member) =>
        Access.Can(TenantPermission.RemoveMembers) && member.UserId != Actor?.UserId && member.Role <= Access.Role;

    private Uri AcceptUrl => Addresses.InvitationAcceptUrl;

    /// <inheritdoc />
    protected override Guid ShownTenantId => Access.TenantId;

    /// <inheritdoc />
    protected override bool IsLoaded => _members is not null;

    /// <inheritdoc />
    protected override string? SessionEndedSubject => "the team";

    /// <inheritdoc />
    protected override async Task LoadAsync(Actor actor)
    {
        _version++;
        var members = await Members.ListAsync(actor, CancellationToken.None);
        _members = members.IsSuccess ? members.Value : null;
        LoadError = members.Error?.Message;
        if (Access.Can(TenantPermission.InviteMembers))
        {
            var invitations = await Invitations.ListPendingAsync(actor, CancellationToken.None);
            _invitations = invitations.IsSuccess ? invitations.Value : [];
            if (!invitations.IsSuccess)
                ShowError(invitations.Error);
        }
    }

    private async Task InviteAsync()
    {
        var parameters = new DialogParameters<InviteDialog> { { d => d.Access, Access } };
        var dialog = await Dialogs.ShowAsync<InviteDialog>("Invite", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: InvitationRow invitation })
        {
            Snackbar.Add($"Invitation sent to {invitation.Email}.", Severity.Success);
            await LoadAsync();
        }
    }

    // Choosing a role only proposes it: the change is made once confirmed; cancelling puts the select back.
    private async Task ChangeRoleAsync(MemberRow member, TenantRole role)
    {
        if (role == member.Role || _busy)
            return;
        var parameters = new DialogParameters<ChangeRoleDialog>
        {
            { d => d.Member, member }, { d => d.NewRole, role }, { d => d.TenantName, Access.Name },
        };
        var dialog = await Dialogs.ShowAsync<ChangeRoleDialog>("Change role", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is not { Canceled: false })
        {
            _version++;
            return;
        }
        await RunAsync(() => Members.ChangeRoleAsync(Actor!, member.UserId, role, CancellationToken.None), $"{member.Email} is now {role}.");
    }

    private async Task RemoveAsync(MemberRow member)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Remove member",
            $"Remove {member.Email} from {Access.Name}? They lose access at once; you can invite them again later.",
            yesText: "Remove", cancelText: "Cancel");
        if (confirmed == true)
            await RunAsync(() => Members.RemoveAsync(Actor!, member.UserId, CancellationToken.None), $"{member.Email} was removed.");
    }

    private async Task ResendAsync(InvitationRow invitation) =>
        await RunAsync(async () => (Result)await Invitations.ResendAsync(Actor!, invitation.Id, AcceptUrl, CancellationToken.None),
            $"The invitation to {invitation.Email} was sent again with a new link.");

    private async Task RevokeAsync(InvitationRow invitation)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Revoke invitation",
            $"Revoke the invitation to {invitation.Email}? The link in their email stops working.",
            yesText: "Revoke", cancelText: "Cancel");
        if (confirmed == true)
            await RunAsync(() => Invitations.RevokeAsync(Actor!, invitation.Id, CancellationToken.None), $"The invitation to {invitation.Email} was revoked.");
    }

    // Runs one action, reports its outcome in a snackbar and reloads the lists (a failed role change snaps back).
    private async Task RunAsync(Func<Task<Result>> action, string success)
    {
        if (Actor is null || _busy)
            return;
        _busy = true;
        try
        {
            var result = await action();
            if (result.IsSuccess)
                Snackbar.Add(success, Severity.Success);
            else
                ShowError(result.Error);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private void ShowError(Error error) => Snackbar.Add(error.Message, Severity.Error);
}
