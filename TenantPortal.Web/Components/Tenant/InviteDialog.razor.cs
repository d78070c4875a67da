using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Data.Services.Members;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>The dialog that invites someone to the current tenant.</summary>
public partial class InviteDialog
{
    // The field names the services use in Error.Field.
    private const string EmailField = "email";
    private const string RoleField = "role";
    private const string DaysField = "expiresInDays";

    private readonly Dictionary<string, string> _errors = new(StringComparer.OrdinalIgnoreCase);
    private string? _email;
    private TenantRole _role = TenantRole.Member;
    private int _days = (int)Core.Invitations.Invitation.DefaultLifetime.TotalDays;
    private string? _generalError;
    private bool _submitted;
    private bool _busy;
    private SeatAvailability? _seats;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject] private InvitationService Invitations { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private PortalAddresses Addresses { get; set; } = default!;

    /// <summary>The inviter's access to the tenant: its name and the inviter's role, which caps the roles offered.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    private IEnumerable<TenantRole> AssignableRoles =>
        Enum.GetValues<TenantRole>().Where(r => r <= Access.Role).OrderByDescending(r => r);

    private bool NoSeatsLeft => _seats is { Left: 0 };

    private string PendingText => _seats?.PendingInvitations == 1 ? "1 pending invitation" : $"{_seats?.PendingInvitations ?? 0} pending invitations";

    private static string SeatsLeftText(int left) => left == 1 ? "1 seat left" : $"{left} seats left";

    /// <inheritdoc />
    protected override async Task OnInitializedAsync() => await LoadSeatsAsync();

    // Pending invitations hold a seat each; the service counts again (under its lock) when the invitation is sent.
    private async Task LoadSeatsAsync()
    {
        var actor = await CurrentUser.GetActorAsync();
        if (actor is null)
            return;
        var seats = await Invitations.SeatsAsync(actor, CancellationToken.None);
        _seats = seats.IsSuccess ? seats.Value : null;
    }

    private string? ErrorOf(string field) => _errors.GetValueOrDefault(field);

    private static string RoleHelp(TenantRole role) => RoleDescriptions.Of(role);

    // Once the user has tried to submit, the messages follow their typing; before that, they don't nag.
    private void OnEmailChanged()
    {
        if (_submitted)
            ValidateEmail();
        else
            _errors.Remove(EmailField);
    }

    private void OnDaysChanged()
    {
        if (_submitted)
            ValidateDays();
        else
            _errors.Remove(DaysField);
    }

    private bool ValidateEmail()
    {
        var email = _email?.Trim() ?? "";
        _errors.Remove(EmailField);
        if (PlainText.Problem(_email, "The email address") is { } refused)
            _errors[EmailField] = refused;
        else if (email.Length == 0)
            _errors[EmailField] = "Enter the email address of the person to invite.";
        else if (!TenantInput.IsEmail(email))
            _errors[EmailField] = $"'{email}' is not an email address, such as name@example.com.";
        return !_errors.ContainsKey(EmailField);
    }

    private bool ValidateDays()
    {
        _errors.Remove(DaysField);
        if (_days is < 1 or > InviteRequest.MaxDays)
            _errors[DaysField] = $"Choose 1 to {InviteRequest.MaxDays} days.";
        return !_errors.ContainsKey(DaysField);
    }

    private async Task SubmitAsync()
    {
        _submitted = true;
        _generalError = null;
        _errors.Remove(RoleField);
        var valid = ValidateEmail() & ValidateDays();
        if (!valid || _busy || NoSeatsLeft)
            return;

        var actor = await CurrentUser.GetActorAsync();
        if (actor is null)
        {
            _generalError = "Your session has ended. Log in again to invite people.";
            return;
        }
        _busy = true;
        try
        {
            var acceptUrl = Addresses.InvitationAcceptUrl;
            var result = await Invitations.CreateAsync(actor, new InviteRequest(_email!.Trim(), _role, _days), acceptUrl, CancellationToken.None);
            if (result.IsSuccess)
            {
                Dialog.Close(DialogResult.Ok(result.Value));
                return;
            }
            if (result.Error.Code == ErrorCodes.SeatLimitReached)
            {
                // Someone else took the last seat meanwhile: say so, and show the seats as they are now.
                _generalError = result.Error.Message;
                await LoadSeatsAsync();
            }
            else if (result.Error.Field is { } field && field is EmailField or RoleField or DaysField)
                _errors[field] = result.Error.Message;
            else
                _generalError = result.Error.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private void Cancel() => Dialog.Cancel();
}
