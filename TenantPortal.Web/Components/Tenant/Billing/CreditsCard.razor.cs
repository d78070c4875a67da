using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing.Credits;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Tenant.Billing;

/// <summary>The Billing tab's prepaid credits: figures, grants, and the owner's purchase and low-balance alert.</summary>
public partial class CreditsCard
{
    private CreditOverview? _overview;
    private bool _busy;
    private decimal? _customDollars;
    private string? _customError;
    private decimal? _thresholdDollars;
    private string? _thresholdError;

    [Inject] private CreditService Credits { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private PortalAddresses Addresses { get; set; } = default!;

    /// <summary>The user's access to the tenant shown.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    /// <summary>Raised after credits were added, so that the tab's upcoming invoice shows what they pay.</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    // Where Stripe sends the owner back: this tab, on the host they are on when it is a tenant host (as the plan checkout does).
    private Uri ReturnUrl => Addresses.LinkOn(new Uri(Navigation.BaseUri).Host, TenantTabs.Path(Access.Slug, TenantTab.Billing));

    /// <inheritdoc />
    protected override Guid ShownTenantId => Access.TenantId;

    /// <inheritdoc />
    protected override bool IsLoaded => _overview is not null;

    /// <inheritdoc />
    protected override string? SessionEndedSubject => "your credits";

    /// <inheritdoc />
    protected override async Task LoadAsync(Actor actor)
    {
        var overview = await Credits.GetOverviewAsync(actor, CancellationToken.None);
        LoadError = overview.Error?.Message;
        _overview = overview.IsSuccess ? overview.Value : null;
        _thresholdDollars = _overview?.LowBalanceThresholdCents is { } t ? t / 100m : null;
    }

    private Task BuyCustomAsync()
    {
        _customError = null;
        if (_customDollars is not { } dollars || decimal.Round(dollars, 2) != dollars)
        {
            _customError = "Enter an amount in dollars and cents.";
            return Task.CompletedTask;
        }
        var cents = (long)(dollars * 100);
        if (cents < CreditRules.MinPurchaseCents || cents > CreditRules.MaxPurchaseCents)
        {
            _customError = $"Buy from {Money.Format(CreditRules.MinPurchaseCents)} to {Money.Format(CreditRules.MaxPurchaseCents)}.";
            return Task.CompletedTask;
        }
        return BuyAsync(cents);
    }

    private async Task BuyAsync(long cents)
    {
        if (Actor is null || _busy)
            return;
        _busy = true;
        try
        {
            var bought = await Credits.PurchaseAsync(Actor, cents, ReturnUrl, CancellationToken.None);
            if (!bought.IsSuccess)
            {
                if (bought.Error.Field == "amountCents")
                    _customError = bought.Error.Message;
                else
                    Snackbar.Add(bought.Error.Message, Severity.Error);
                return;
            }
            if (bought.Value.RedirectUrl is { } checkout)
            {
                Navigation.NavigateTo(checkout, forceLoad: true);
                return;
            }
            _customDollars = null;
            Snackbar.Add(bought.Value.Message, Severity.Success);
            await LoadAsync();
            await OnChanged.InvokeAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SaveThresholdAsync()
    {
        if (Actor is null || _busy)
            return;
        _thresholdError = null;
        long? cents = null;
        if (_thresholdDollars is { } dollars)
        {
            if (decimal.Round(dollars, 2) != dollars)
            {
                _thresholdError = "Enter an amount in dollars and cents.";
                return;
            }
            cents = (long)(dollars * 100);
        }
        _busy = true;
        try
        {
            var saved = await Credits.SetLowBalanceThresholdAsync(Actor, cents, CancellationToken.None);
            if (!saved.IsSuccess)
            {
                if (saved.Error.Field is not null)
                    _thresholdError = saved.Error.Message;
                else
                    Snackbar.Add(saved.Error.Message, Severity.Error);
                return;
            }
            Snackbar.Add(cents is { } c ? $"You'll be told when the balance falls below {Money.Format(c)}." : "The low-balance alert is off.", Severity.Success);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
