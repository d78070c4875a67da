using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Operations;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Ops;

/// <summary>The operators' form to create a tenant on a customer's behalf; errors are shown by field.</summary>
public partial class CreateTenantForCustomerDialog
{
    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;
    [Inject] private OperatorTenantService Operations { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private PortalAddresses Addresses { get; set; } = default!;

    private readonly Dictionary<string, string> _errors = [];
    private string? _name;
    private string? _slug;
    private bool _slugEdited;
    private SubscriptionTier _tier = SubscriptionTier.Free;
    private string? _ownerEmail;
    private string? _reason;
    private string? _generalError;
    private bool _busy;

    private void NameChanged(string? name)
    {
        _name = name;
        // The slug follows the name until the operator edits it.
        if (!_slugEdited)
            _slug = TenantSlug.Suggest(name ?? "");
    }

    private void SlugChanged(string? slug)
    {
        _slug = slug;
        _slugEdited = true;
    }

    private async Task SubmitAsync()
    {
        _errors.Clear();
        _generalError = null;
        var actor = await CurrentUser.GetActorAsync();
        if (actor is null)
            return;
        _busy = true;
        try
        {
            var result = await Operations.CreateTenantAsync(actor, new CreateTenantForCustomerRequest(_name ?? "", _slug ?? "", _tier, _ownerEmail ?? ""),
                Addresses.InvitationAcceptUrl, _reason, CancellationToken.None);
            if (result.IsSuccess)
            {
                Dialog.Close(DialogResult.Ok(result.Value));
                return;
            }
            if (result.Error.Field is { } field)
                _errors[field] = result.Error.Message;
            else
                _generalError = result.Error.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
