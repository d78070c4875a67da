using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing.Credits;

namespace TenantPortal.Web.Components.Ops;

/// <summary>A tenant's prepaid credits on its operator page: figures, grants, grant and revoke.</summary>
public partial class OpsCreditsCard
{
    private CreditOverview? _overview;
    private bool _busy;
    private string _source = "promotional";
    private decimal? _dollars;
    private int? _priority;
    private DateTime? _expires;
    private string? _reason;
    private Error? _grantError;

    [Inject] private OperatorCreditService Credits { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The tenant.</summary>
    [Parameter, EditorRequired] public Guid TenantId { get; set; }

    private CreditSource Source => CreditRules.TryParse(_source, out var s) ? s : CreditSource.Promotional;

    private string? FieldError(string field) => _grantError is { Field: { } f } && f == field ? _grantError.Message : null;

    /// <inheritdoc />
    protected override Guid ShownTenantId => TenantId;

    /// <inheritdoc />
    protected override bool IsLoaded => _overview is not null;

    /// <inheritdoc />
    protected override string? SessionEndedSubject => null;

    /// <inheritdoc />
    protected override async Task LoadAsync(Actor actor)
    {
        var overview = await Credits.GetAsync(actor, TenantId, CancellationToken.None);
        LoadError = overview.Error?.Message;
        _overview = overview.IsSuccess ? overview.Value : null;
    }

    private async Task GrantAsync()
    {
        if (Actor is null || _busy || _dollars is not { } dollars)
            return;
        _grantError = null;
        if (decimal.Round(dollars, 2) != dollars)
        {
            _grantError = Error.Invalid("amountCents", "Enter an amount in dollars and cents.");
            return;
        }
        // The date picker gives a day: the grant expires at the start of that day, UTC.
        DateTimeOffset? expires = _expires is { } day ? new DateTimeOffset(DateTime.SpecifyKind(day.Date, DateTimeKind.Utc)) : null;
        _busy = true;
        try
        {
            var granted = await Credits.GrantAsync(Actor, TenantId, new CreditGrantRequest(_source, (long)(dollars * 100), _priority, expires, _reason),
                CancellationToken.None);
            if (!granted.IsSuccess)
            {
                if (granted.Error.Field is null)
                    Snackbar.Add(granted.Error.Message, Severity.Error);
                _grantError = granted.Error;
                return;
            }
            Snackbar.Add($"{Money.Format(granted.Value.AmountCents)} of credits granted.", Severity.Success);
            (_dollars, _priority, _expires, _reason) = (null, null, null, null);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RevokeAsync(CreditGrantRow grant)
    {
        if (Actor is null || _busy)
            return;
        var dialog = await Dialogs.ShowAsync<OperatorReasonDialog>("Revoke credits", new DialogParameters<OperatorReasonDialog>
        {
            { d => d.Title, "Revoke unused credits" },
            { d => d.Message, $"The {Money.Format(grant.RemainingCents)} left of this {CreditRules.Name(grant.Source)} grant stop counting. What invoices already used stays used." },
            { d => d.ConfirmText, "Revoke" },
            { d => d.ConfirmColor, Color.Error },
        });
        if (await dialog.Result is not { Canceled: false, Data: string reason })
            return;
        _busy = true;
        try
        {
            var revoked = await Credits.RevokeAsync(Actor, TenantId, grant.Id, reason, CancellationToken.None);
            if (!revoked.IsSuccess)
            {
                Snackbar.Add(revoked.Error.Message, Severity.Error);
                return;
            }
            Snackbar.Add($"{Money.Format(revoked.Value)} of unused credits revoked.", Severity.Success);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
