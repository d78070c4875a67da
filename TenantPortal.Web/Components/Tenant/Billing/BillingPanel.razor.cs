using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Tenant.Billing;

/// <summary>The Billing tab of the current tenant: plan, upcoming invoice, invoices, and the owner's actions.</summary>
public partial class BillingPanel
{
    private BillingOverview? _overview;
    private IReadOnlyList<InvoiceRow>? _invoices;
    private bool _busy;
    private bool _checkoutDismissed;

    [Inject] private BillingService Billing { get; set; } = default!;
    [Inject] private InvoiceService Invoices { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private PortalAddresses Addresses { get; set; } = default!;

    // Lets the header, the tab bar and the banners show the new plan and status after a change.
    [CascadingParameter] private TenantScope? Scope { get; set; }

    /// <summary>The user's access to the tenant shown.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    /// <summary>
    /// How Stripe Checkout sent the owner back: <c>success</c> or <c>cancelled</c> (the <c>checkout</c> query parameter of
    /// the billing address); anything else is ignored.
    /// </summary>
    [Parameter] public string? Checkout { get; set; }

    /// <summary>
    /// <c>plan</c> (the <c>change</c> query parameter, from the quota banner's "Upgrade") opens the plan change once the
    /// tab has loaded, for an Owner; anything else is ignored.
    /// </summary>
    [Parameter] public string? Change { get; set; }

    // The Change value whose plan change has been opened (a new navigation with ?change=plan opens it again).
    private string? _changeHandled;

    private (Severity Severity, string Text)? CheckoutNotice => _checkoutDismissed ? null : Checkout?.ToLowerInvariant() switch
    {
        "success" => (Severity.Success, "Payment received; your plan updates in a moment."),
        "cancelled" or "canceled" => (Severity.Info, "Checkout was cancelled; nothing changed."),
        _ => null,
    };

    // Where Stripe sends the owner back: this tab, as an absolute address.
    // Stripe sends the owner back to the Billing tab on the host they are on when it is a tenant host, else on the public
    // address: built from configuration (the slug at most comes from the page's host), never from the host as typed.
    private Uri ReturnUrl => Addresses.LinkOn(new Uri(Navigation.BaseUri).Host, TenantTabs.Path(Access.Slug, TenantTab.Billing));

    /// <inheritdoc />
    protected override Guid ShownTenantId => Access.TenantId;

    /// <inheritdoc />
    protected override bool IsLoaded => _overview is not null;

    /// <inheritdoc />
    protected override string? SessionEndedSubject => "billing";

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Dialogs open once the circuit is interactive (after a render), never while prerendering.
        if (!string.Equals(Change, "plan", StringComparison.OrdinalIgnoreCase))
        {
            _changeHandled = null;
            return;
        }
        if (_changeHandled is not null || _overview is not { CanManage: true } || _busy)
            return;
        _changeHandled = Change;
        // The address loses ?change=plan, so that a reload does not open the dialog again.
        Navigation.NavigateTo(TenantTabs.Path(Access.Slug, TenantTab.Billing), replace: true);
        await ChangePlanAsync();
    }

    /// <inheritdoc />
    protected override async Task LoadAsync(Actor actor)
    {
        var overview = await Billing.GetOverviewAsync(actor, CancellationToken.None);
        var invoices = await Invoices.ListAsync(actor, CancellationToken.None);
        LoadError = overview.Error?.Message ?? invoices.Error?.Message;
        _overview = overview.IsSuccess ? overview.Value : null;
        _invoices = invoices.IsSuccess ? invoices.Value : null;
    }

    private async Task ChangePlanAsync()
    {
        if (Actor is null || _overview is null)
            return;
        var parameters = new DialogParameters<ChangePlanDialog>
        {
            { d => d.Overview, _overview },
            { d => d.Actor, Actor },
            { d => d.ReturnUrl, ReturnUrl },
            { d => d.OnChanged, ReloadAsync },
        };
        var dialog = await Dialogs.ShowAsync<ChangePlanDialog>("Change plan", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true });
        var result = await dialog.Result;
        if (result is not { Canceled: false, Data: PlanChangeOutcome outcome })
            return;
        if (outcome.RedirectUrl is { } checkout)
        {
            // Stripe Checkout: nothing changed yet; the webhook applies the plan once paid.
            Navigation.NavigateTo(checkout, forceLoad: true);
            return;
        }
        Snackbar.Add(outcome.Message, Severity.Success);
    }

    private async Task CancelAsync()
    {
        if (Actor is null || _overview is null)
            return;
        var parameters = new DialogParameters<CancelSubscriptionDialog> { { d => d.Overview, _overview } };
        var dialog = await Dialogs.ShowAsync<CancelSubscriptionDialog>("Cancel subscription", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is not { Canceled: false, Data: bool atPeriodEnd })
            return;
        await RunAsync(async () =>
        {
            var cancelled = await Billing.CancelAsync(Actor, atPeriodEnd, CancellationToken.None);
            return cancelled.IsSuccess ? cancelled.Value.Message : cancelled.Error;
        });
    }

    private Task ReactivateAsync() => RunAsync(async () =>
    {
        var withdrawn = _overview!.CancelAtPeriodEnd ? "The cancellation is withdrawn" : $"The move to {_overview.PendingTier} is withdrawn";
        var result = await Billing.ReactivateAsync(Actor!, CancellationToken.None);
        return result.IsSuccess ? $"{withdrawn}; {_overview.Tier} continues." : result.Error;
    });

    private async Task PaymentMethodsAsync()
    {
        if (Actor is null || _busy)
            return;
        _busy = true;
        try
        {
            var url = await Billing.PaymentMethodsUrlAsync(Actor, ReturnUrl, CancellationToken.None);
            if (url.IsSuccess)
                Navigation.NavigateTo(url.Value, forceLoad: true);
            else
                Snackbar.Add(url.Error.Message, Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    // Runs one action that yields either the message to show or an error, then reloads the tab.
    private async Task RunAsync(Func<Task<ActionOutcome>> action)
    {
        if (Actor is null || _busy)
            return;
        _busy = true;
        try
        {
            var outcome = await action();
            await ReloadAsync();
            if (outcome.Error is { } error)
                Snackbar.Add(error.Message, Severity.Error);
            else
                Snackbar.Add(outcome.Message!, Severity.Success);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ReloadAsync()
    {
        await LoadAsync();
        if (Scope is not null)
            await Scope.ReloadAsync();
    }

    // A success message or an error, from one action.
    private readonly record struct ActionOutcome(string? Message, Error? Error)
    {
        public static implicit operator ActionOutcome(string message) => new(message, null);

        public static implicit operator ActionOutcome(Error error) => new(null, error);
    }
}
