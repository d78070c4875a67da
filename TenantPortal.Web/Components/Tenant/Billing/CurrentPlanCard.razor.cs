using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Billing;

namespace TenantPortal.Web.Components.Tenant.Billing;

/// <summary>The current plan: tier, price, status, the dates that matter, and the owner's actions.</summary>
public partial class CurrentPlanCard
{
    /// <summary>The subscription to show.</summary>
    [Parameter, EditorRequired] public BillingOverview Overview { get; set; } = default!;

    /// <summary>True while an action runs: the buttons wait.</summary>
    [Parameter] public bool Busy { get; set; }

    /// <summary>Opens the plan chooser.</summary>
    [Parameter] public EventCallback OnChangePlan { get; set; }

    /// <summary>Asks how to cancel, then cancels.</summary>
    [Parameter] public EventCallback OnCancel { get; set; }

    /// <summary>Withdraws a cancellation or a scheduled downgrade.</summary>
    [Parameter] public EventCallback OnReactivate { get; set; }

    /// <summary>Opens Stripe's Customer Portal.</summary>
    [Parameter] public EventCallback OnPaymentMethods { get; set; }

    private bool CanReactivate => Overview.Status != TenantStatus.Cancelled && (Overview.CancelAtPeriodEnd || Overview.PendingTier is not null);

    private string ChangePlanLabel => Overview.HasPaidSubscription ? "Change plan" : "Choose a plan";

    private IEnumerable<(string Key, string Icon, Color Color, string Text)> Facts
    {
        get
        {
            var o = Overview;
            if (o is { Status: TenantStatus.Trial, TrialEndsAt: { } trialEnd })
            {
                var left = o.TrialDaysLeft switch { 0 => "ends today", 1 => "1 day left", var d => $"{d} days left" };
                yield return ("trial", Icons.Material.Outlined.HourglassTop, o.TrialDaysLeft <= 3 ? Color.Warning : Color.Info,
                    $"Trial of {o.Tier} until {BillingFormat.Day(trialEnd)} ({left})");
            }
            if (o.CancelAtPeriodEnd && o.CurrentPeriodEndsAt is { } endsOn && o.Status != TenantStatus.Cancelled)
                yield return ("ends", Icons.Material.Outlined.EventBusy, Color.Warning, $"Ends on {BillingFormat.Day(endsOn)}; you can reactivate it until then");
            else if (o.HasPaidSubscription && o.CurrentPeriodEndsAt is { } renews && o.PendingTier is null)
                yield return ("renews", Icons.Material.Outlined.Autorenew, Color.Default, $"Renews on {BillingFormat.Day(renews)}");
            if (o is { PendingTier: { } pending, PendingChangeAt: { } at })
            {
                var cycle = o.PendingCycle is { } c && c != o.Cycle ? $" ({BillingFormat.CycleName(c)})" : "";
                yield return ("scheduled", Icons.Material.Outlined.Schedule, Color.Info, $"Moves to {pending}{cycle} on {BillingFormat.Day(at)}");
            }
            if (o.Status == TenantStatus.PastDue)
            {
                var since = o.PastDueSince is { } p ? $" since {BillingFormat.Day(p)}" : "";
                var until = o.SuspendedOn is { } s ? $"; suspended on {BillingFormat.Day(s)} if it stays unpaid" : "";
                yield return ("past-due", Icons.Material.Outlined.ErrorOutline, Color.Error, $"Payment overdue{since}{until}");
            }
            if (o.Status == TenantStatus.Suspended)
                yield return ("suspended", Icons.Material.Outlined.Block, Color.Error,
                    o.SuspendedAt is { } at2 ? $"Suspended since {BillingFormat.Day(at2)}" : "Suspended");
            if (o.Status == TenantStatus.Cancelled)
                yield return ("cancelled", Icons.Material.Outlined.Block, Color.Default, "The subscription has ended; choose a plan to subscribe again");
            if (o.HasPaidSubscription && o.SubscriptionStartedAt is { } started)
                yield return ("since", Icons.Material.Outlined.Event, Color.Default, $"Subscribed since {BillingFormat.Day(started)}");
            yield return ("gateway", o.UsesStripe ? Icons.Material.Outlined.Lock : Icons.Material.Outlined.ReceiptLong, Color.Default,
                o.UsesStripe ? "Payments are handled securely by Stripe" : "Invoices are kept in the portal and settled with your account manager");
        }
    }
}
