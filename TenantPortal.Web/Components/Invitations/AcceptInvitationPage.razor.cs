using Microsoft.AspNetCore.Components;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Invitations;

/// <summary>
/// Where an invitation link lands: shows what the invitation offers, sends a signed-out visitor to log in or register
/// (and back here), and lets the invited user accept. A link that can't be used gets a clear page, never an error page.
/// </summary>
public partial class AcceptInvitationPage
{
    private InvitationPreview? _preview;
    private Error? _error;
    private Actor? _actor;
    private string? _email;
    private bool _loading = true;
    private bool _busy;

    [Inject] private InvitationAcceptanceService Acceptance { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The invitation token from the emailed link.</summary>
    [SupplyParameterFromQuery] public string? Token { get; set; }

    // Back to this page, relative to the app base, after logging in, registering or logging out.
    private string ReturnUrl => $"invitations/accept?token={Uri.EscapeDataString(Token ?? "")}";

    private string LoginUrl => $"Account/Login?ReturnUrl={Uri.EscapeDataString(ReturnUrl)}";

    // The sign-up form takes the invitation: its email filled in and locked, and the person joins on registering.
    private string RegisterUrl => $"Account/Register?invitation={Uri.EscapeDataString(Token ?? "")}&ReturnUrl={Uri.EscapeDataString(ReturnUrl)}";

    // Shown before accepting so nobody clicks in vain; the service compares again and has the last word.
    private bool EmailMatches => string.Equals(_preview?.Email, _email?.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        _loading = true;
        _error = null;
        var preview = await Acceptance.PreviewAsync(Token, CancellationToken.None);
        _preview = preview.IsSuccess ? preview.Value : null;
        _error = preview.Error;
        _actor = await CurrentUser.GetActorAsync();
        _email = await CurrentUser.GetEmailAsync();
        _loading = false;
    }

    private async Task AcceptAsync()
    {
        if (_actor is null || _busy)
            return;
        _busy = true;
        try
        {
            var result = await Acceptance.AcceptAsync(Token, _actor, _email, CancellationToken.None);
            if (result.IsSuccess)
            {
                // A full load: the switcher, the menu and the circuit start afresh with the new membership.
                Navigation.NavigateTo($"t/{Uri.EscapeDataString(result.Value.Slug)}", forceLoad: true);
                return;
            }
            _error = result.Error;
        }
        finally
        {
            _busy = false;
        }
    }
}
