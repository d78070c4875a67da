using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;

namespace TenantPortal.Web.Components.Tenant.Billing;

/// <summary>The plan chooser: closes with the <see cref="PlanChangeOutcome"/> once a change is confirmed.</summary>
public partial class ChangePlanDialog
{
    private BillingCycle _cycle;
    private SubscriptionTier? _selected;
    private PlanChangePreview? _preview;
    private string? _previewError;
    private string? _confirmError;
    private bool _loading;
    private bool _busy;
    // Only the latest preview request may show: a slow answer for an earlier choice is dropped.
    private int _request;

    [Inject] private BillingService Billing { get; set; } = default!;
    [Inject] private TenantPortal.Data.Services.Entitlements.EntitlementService Entitlements { get; set; } = default!;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>The subscription as it stands.</summary>
    [Parameter, EditorRequired] public BillingOverview Overview { get; set; } = default!;

    /// <summary>Who chooses (only an Owner can confirm).</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <summary>Where Stripe Checkout returns to: the Billing tab's absolute address.</summary>
    [Parameter, EditorRequired] public Uri ReturnUrl { get; set; } = default!;

    /// <summary>Runs as soon as a change is made, before the dialog closes (the tab reloads what changed).</summary>
    [Parameter] public Func<Task>? OnChanged { get; set; }

    private bool CanConfirm => Overview.CanManage && !_busy && !_loading && _preview is { Allowed: true } && _selected == _preview.Tier;

    private string ConfirmLabel => _preview switch
    {
        { RequiresCheckout: true } => "Continue to payment",
        { Kind: PlanChangeKind.Subscribe } => "Subscribe",
        { Kind: PlanChangeKind.Upgrade } => "Upgrade now",
        { Kind: PlanChangeKind.Downgrade } => "Schedule the change",
        { Kind: PlanChangeKind.SwitchToFree } => "Switch to Free",
        _ => "Confirm",
    };

    /// <inheritdoc />
    protected override void OnInitialized() => _cycle = Overview.Cycle;

    private async Task SetCycleAsync(BillingCycle cycle)
    {
        _cycle = cycle;
        if (_selected is { } tier)
            await PreviewAsync(tier);
    }

    private Task SelectAsync(SubscriptionTier tier)
    {
        _selected = tier;
        return PreviewAsync(tier);
    }

    private async Task PreviewAsync(SubscriptionTier tier)
    {
        var request = ++_request;
        (_loading, _preview, _previewError, _confirmError) = (true, null, null, null);
        var result = await Billing.PreviewChangeAsync(Actor, tier, CycleFor(tier), CancellationToken.None);
        if (request != _request)
            return;
        _loading = false;
        if (result.IsSuccess)
            _preview = result.Value;
        else
            _previewError = result.Error.Message;
    }

    private async Task ConfirmAsync()
    {
        if (!CanConfirm || _preview is null)
            return;
        _busy = true;
        _confirmError = null;
        try
        {
            var result = await Billing.ChangePlanAsync(Actor, _preview.Tier, _preview.Cycle, ReturnUrl, CancellationToken.None);
            if (result.IsSuccess)
            {
                if (result.Value.RedirectUrl is null && OnChanged is not null)
                    await OnChanged();
                Dialog.Close(DialogResult.Ok(result.Value));
            }
            else
                _confirmError = result.Error.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    // Free has no annual billing: it is always monthly, whatever the toggle says.
    private BillingCycle CycleFor(SubscriptionTier tier) => tier == SubscriptionTier.Free ? BillingCycle.Monthly : _cycle;

    private static string EffectiveText(PlanChangePreview preview) =>
        preview.Kind is PlanChangeKind.Downgrade ? BillingFormat.Day(preview.EffectiveAt) : $"Now ({BillingFormat.Day(preview.EffectiveAt)})";
}
