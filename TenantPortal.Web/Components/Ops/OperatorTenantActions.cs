using MudBlazor;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Operations;

namespace TenantPortal.Web.Components.Ops;

/// <summary>
/// An operator's actions on one tenant — suspend, reactivate, change tier, extend trial — each asking for its reason
/// in the same dialog and applied by <see cref="OperatorTenantService"/>, with the outcome in a snackbar. Shared by the
/// tenant page and the fleet list's row menus, so that both ask and act alike.
/// </summary>
public sealed class OperatorTenantActions(IDialogService dialogs, OperatorTenantService operations, ISnackbar snackbar, TimeProvider time)
{
    private static readonly DialogOptions Options = new() { MaxWidth = MaxWidth.Small, FullWidth = true };

    /// <summary>Asks for a reason, then suspends the tenant. True when the operator confirmed (the tenant may have changed).</summary>
    public async Task<bool> SuspendAsync(Actor actor, OperatorTenantDetail tenant)
    {
        var reason = await AskReasonAsync($"Suspend {tenant.Name}",
            "Its users see the suspension and every quota check is denied until an operator reactivates it. Reported usage is still recorded.",
            "Suspend", Color.Error);
        return reason is not null
            && await ApplyAsync(operations.SuspendAsync(actor, tenant.Id, reason, CancellationToken.None), $"{tenant.Name} is suspended.");
    }

    /// <summary>Asks for a reason, then lifts the tenant's suspension. True when the operator confirmed.</summary>
    public async Task<bool> ReactivateAsync(Actor actor, OperatorTenantDetail tenant)
    {
        var reason = await AskReasonAsync($"Reactivate {tenant.Name}",
            "The tenant is back on its trial if the trial has not ended and it has no subscription, else active.", "Reactivate", Color.Primary);
        return reason is not null
            && await ApplyAsync(operations.ReactivateAsync(actor, tenant.Id, reason, CancellationToken.None), $"{tenant.Name} is active again.");
    }

    /// <summary>Asks for the new tier and a reason, then moves the tenant to it. True when the operator confirmed.</summary>
    public async Task<bool> ChangeTierAsync(Actor actor, OperatorTenantDetail tenant)
    {
        if (tenant.BilledThroughStripe)
        {
            snackbar.Add($"{tenant.Name} is billed through Stripe: its tier follows its Stripe subscription.", Severity.Info);
            return false;
        }
        var subscribed = tenant.SubscriptionStartedAt is not null && tenant.Status != TenantStatus.Trial;
        var choice = await ShowAsync<ChangeTierDialog, TierChangeChoice>(new DialogParameters<ChangeTierDialog>
        {
            { d => d.TenantName, tenant.Name }, { d => d.CurrentTier, tenant.Tier }, { d => d.Subscribed, subscribed },
        });
        return choice is not null
            && await ApplyAsync(operations.ChangeTierAsync(actor, tenant.Id, choice.Tier, choice.Reason, CancellationToken.None), $"{tenant.Name} is on {choice.Tier} now.");
    }

    /// <summary>Asks for the days and a reason, then extends the tenant's trial. True when the operator confirmed.</summary>
    public async Task<bool> ExtendTrialAsync(Actor actor, OperatorTenantDetail tenant)
    {
        if (!tenant.CanExtendTrial)
        {
            snackbar.Add($"{tenant.Name} is not on a trial, so there is no trial to extend.", Severity.Info);
            return false;
        }
        var choice = await ShowAsync<ExtendTrialDialog, TrialExtensionChoice>(new DialogParameters<ExtendTrialDialog>
        {
            { d => d.TenantName, tenant.Name }, { d => d.TrialEndsAt, tenant.TrialEndsAt }, { d => d.Now, time.GetUtcNow() },
        });
        return choice is not null
            && await ApplyAsync(operations.ExtendTrialAsync(actor, tenant.Id, choice.Days, choice.Reason, CancellationToken.None), $"Trial extended by {choice.Days} days.");
    }

    /// <summary>The reason dialog: a title, what happens, and the confirm button; the reason typed, or null when cancelled.</summary>
    public Task<string?> AskReasonAsync(string title, string message, string confirm, Color color) =>
        ShowAsync<OperatorReasonDialog, string>(new DialogParameters<OperatorReasonDialog>
        {
            { d => d.Title, title }, { d => d.Message, message }, { d => d.ConfirmText, confirm }, { d => d.ConfirmColor, color },
        });

    /// <summary>Shows a dialog; what it closed with, or null when cancelled.</summary>
    public async Task<TResult?> ShowAsync<TDialog, TResult>(DialogParameters<TDialog> parameters) where TDialog : Microsoft.AspNetCore.Components.IComponent where TResult : class
    {
        var dialog = await dialogs.ShowAsync<TDialog>(null, parameters, Options);
        var answer = await dialog.Result;
        return answer is { Canceled: false, Data: TResult value } ? value : null;
    }

    /// <summary>Awaits the action and says how it went in a snackbar; always true (the tenant may have changed either way).</summary>
    public async Task<bool> ApplyAsync(Task<Result> action, string success)
    {
        var result = await action;
        if (result.IsSuccess)
            snackbar.Add(success, Severity.Success);
        else
            snackbar.Add(result.Error!.Message, Severity.Error);
        return true;
    }
}
