using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Budgets;

namespace TenantPortal.Web.Components.Tenant.Billing;

/// <summary>The Billing tab's spend budget card: loads the budget itself; an Owner sets, changes or removes it.</summary>
public partial class SpendBudgetCard
{
    private SpendBudgetStatus? _status;
    private string? _amountError;
    private bool _busy;
    private decimal? _amountDollars;
    private BudgetAction _action = BudgetAction.Alert;

    [Inject] private SpendBudgetService Budgets { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The user's access to the tenant shown.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    private string PercentText => _status?.Percent is { } p ? $"{p:0.#} %" : "";

    private Color BarColor => _status?.Percent switch
    {
        >= 100 => Color.Error,
        >= 80 => Color.Warning,
        _ => Color.Success,
    };

    private string ActionText => _status?.Action == BudgetAction.Block
        ? "At 100 %, quota checks that would add overage are refused until the period resets on " + BillingFormat.Day(_status.PeriodEnd) + "."
        : "Alerts only: nothing is refused when the budget is reached.";

    /// <inheritdoc />
    protected override Guid ShownTenantId => Access.TenantId;

    /// <inheritdoc />
    protected override bool IsLoaded => _status is not null;

    /// <inheritdoc />
    protected override string? SessionEndedSubject => "the spend budget";

    /// <inheritdoc />
    protected override async Task LoadAsync(Actor actor)
    {
        var status = await Budgets.GetAsync(actor, CancellationToken.None);
        Show(status);
    }

    private void Show(Result<SpendBudgetStatus> status)
    {
        LoadError = status.Error?.Message;
        _status = status.IsSuccess ? status.Value : null;
        if (_status is not null)
        {
            _amountDollars = _status.AmountCents is { } cents ? cents / 100m : null;
            _action = _status.Action ?? BudgetAction.Alert;
        }
    }

    private async Task SaveAsync()
    {
        if (Actor is null || _busy)
            return;
        _amountError = null;
        if (_amountDollars is not { } dollars || dollars <= 0)
        {
            _amountError = "Enter the monthly budget in dollars, at least $0.01.";
            return;
        }
        if (decimal.Round(dollars, 2) != dollars)
        {
            _amountError = "Use whole cents (at most two decimals).";
            return;
        }
        _busy = true;
        try
        {
            var set = await Budgets.SetAsync(Actor, (long)(dollars * 100), _action, CancellationToken.None);
            if (!set.IsSuccess)
            {
                if (set.Error.Field is "amountCents")
                    _amountError = set.Error.Message;
                else
                    Snackbar.Add(set.Error.Message, Severity.Error);
                return;
            }
            Show(set);
            Snackbar.Add("Spend budget saved.", Severity.Success);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RemoveAsync()
    {
        if (Actor is null || _busy)
            return;
        _busy = true;
        try
        {
            var removed = await Budgets.RemoveAsync(Actor, CancellationToken.None);
            if (!removed.IsSuccess)
            {
                Snackbar.Add(removed.Error.Message, Severity.Error);
                return;
            }
            await LoadAsync();
            Snackbar.Add("Spend budget removed.", Severity.Success);
        }
        finally
        {
            _busy = false;
        }
    }
}
