using System.Globalization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;

namespace TenantPortal.Core.Tenants;

// The transitions of a tenant's lifecycle: the only code that changes its status, plan, subscription, dunning and
// suspension fields. Each takes the current time, refuses (with a Result) what its state does not allow, and returns
// the plan switch the history must record when the plan or its charging changes. docs/decisions/0008-tenant-lifecycle.md
// holds the table of states and events and the invariants a property test checks after every event.
public partial class Tenant
{
    /// <summary>
    /// A new tenant: a Free one is Active from the start and never expires; a paid tier starts a trial of
    /// <paramref name="trialLength"/>. Nothing is charged until the owner subscribes (see <see cref="InitialPlan"/>).
    /// </summary>
    public static Tenant Create(string name, string slug, SubscriptionTier tier, DateTimeOffset now, TimeSpan trialLength)
    {
        if (!Enum.IsDefined(tier))
            throw new ArgumentOutOfRangeException(nameof(tier), tier, "Not a plan.");
        if (trialLength <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(trialLength), trialLength, "A trial has a positive length.");
        var tenant = new Tenant { Name = name, Slug = slug, Tier = tier, BillingCycle = BillingCycle.Monthly, CreatedAt = now };
        if (tier == SubscriptionTier.Free)
            tenant.Status = TenantStatus.Active;
        else
        {
            tenant.Status = TenantStatus.Trial;
            tenant.TrialEndsAt = now + trialLength;
        }
        return tenant;
    }

    /// <summary>The first segment of a new tenant's plan history: its tier from its creation, not charged.</summary>
    public PlanSwitch InitialPlan => new(Tier, BillingCycle, Charged: false, CreatedAt);

    // ---- Trials -------------------------------------------------------------------------------------------------

    /// <summary>
    /// An operator extends a trial by <paramref name="length"/>: a tenant on its trial stays on it until the later end
    /// (counted from the old end, or from now when it has passed); one suspended because its trial ended is on Trial
    /// again. The reminder goes out again before the new end.
    /// </summary>
    public Result ExtendTrial(TimeSpan length, DateTimeOffset now)
    {
        if (length <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(length), length, "A trial is extended by a positive length.");
        var running = Status == TenantStatus.Trial;
        if (!running && !(Status == TenantStatus.Suspended && SuspensionReason == Tenants.SuspensionReason.TrialExpired))
            return Error.Conflict($"{Name} is not on a trial: only a trial, or a tenant suspended when its trial ended, can be extended.");
        var from = TrialEndsAt is { } end && end > now ? end : now;
        TrialEndsAt = from + length;
        TrialReminderSentAt = null;
        if (!running)
        {
            Status = TenantStatus.Trial;
            ClearSuspension();
        }
        return Result.Success();
    }

    /// <summary>The trial-ending reminder went out (once per trial end).</summary>
    public Result RecordTrialReminder(DateTimeOffset now)
    {
        if (Status != TenantStatus.Trial || TrialReminderSentAt is not null)
            return Error.Conflict("No trial reminder is due.");
        TrialReminderSentAt = now;
        return Result.Success();
    }

    /// <summary>The trial-expiry job: a tenant still on Trial at its end is suspended (<see cref="Tenants.SuspensionReason.TrialExpired"/>).</summary>
    public Result SuspendForTrialEnd(DateTimeOffset now)
    {
        if (Status != TenantStatus.Trial || TrialEndsAt is not { } end || end > now)
            return Error.Conflict($"{Name} is not on a trial that has ended.");
        Suspend(Tenants.SuspensionReason.TrialExpired, now);
        return Result.Success();
    }

    // ---- The owner's choices on the ledger -----------------------------------------------------------------------

    /// <summary>
    /// The owner subscribes to a paid plan on the ledger (from a trial, Free, a cancellation or an ended trial): Active
    /// and charged from now, the first period running to <see cref="NextPeriodEnd"/>. Refused while an operator's
    /// suspension holds or a payment is overdue, and when there is a paid subscription already.
    /// </summary>
    public Result<PlanSwitch> Subscribe(SubscriptionTier tier, BillingCycle cycle, DateTimeOffset now)
    {
        var may = MaySubscribe(tier);
        if (!may.IsSuccess)
            return may.Error;
        Tier = tier;
        BillingCycle = cycle;
        Status = TenantStatus.Active;
        SubscriptionStartedAt = now;
        CurrentPeriodEndsAt = NextPeriodEnd(cycle, now);
        CancelAtPeriodEnd = false;
        PastDueSince = null;
        ClearSuspension();
        ClearPending();
        return new PlanSwitch(tier, cycle, Charged: true, now);
    }

    /// <summary>
    /// Whether <see cref="Subscribe"/> (or a Checkout that ends in a subscription) is allowed now: not while an operator's
    /// suspension holds or a payment is overdue, and not over a paid subscription. Changes nothing.
    /// </summary>
    public Result MaySubscribe(SubscriptionTier tier)
    {
        if (tier == SubscriptionTier.Free)
            return Error.Invalid("tier", "Free is not a subscription; choose Free to move to it.");
        if (HasPaidSubscription)
            return Error.Conflict($"{Name} has a paid subscription already; change its plan instead.");
        return RefusedWhileHeldOrUnpaid("choosing a plan") is { } refused ? refused : Result.Success();
    }

    /// <summary>
    /// A paid subscription moves to another plan or cycle now (an upgrade, prorated by the history): a changed cycle or a
    /// passed renewal starts a new period. Refused while suspended and while the subscription is set to end.
    /// </summary>
    public Result<PlanSwitch> ChangePlan(SubscriptionTier tier, BillingCycle cycle, DateTimeOffset now)
    {
        if (tier == SubscriptionTier.Free)
            return Error.Invalid("tier", "Moving to Free ends the paid subscription at the period end; schedule it instead.");
        if (RefusedWithoutLiveSubscription("change the plan") is { } refused)
            return refused;
        var cycleChanged = cycle != BillingCycle;
        Tier = tier;
        BillingCycle = cycle;
        if (cycleChanged || CurrentPeriodEndsAt is null || CurrentPeriodEndsAt <= now)
            CurrentPeriodEndsAt = NextPeriodEnd(cycle, now);
        ClearPending();
        return new PlanSwitch(tier, cycle, Charged: true, now);
    }

    /// <summary>
    /// A paid subscription moves to a lower plan (or Free, or another cycle) at <paramref name="at"/>, the period end;
    /// until then it keeps its plan. Refused while suspended or set to end, and a move to Free while a payment is overdue.
    /// </summary>
    public Result<PlanSwitch> ScheduleChange(SubscriptionTier tier, BillingCycle cycle, DateTimeOffset at, DateTimeOffset now)
    {
        if (at <= now)
            throw new ArgumentOutOfRangeException(nameof(at), at, "A scheduled change takes effect later.");
        if (RefusedWithoutLiveSubscription("schedule a plan change") is { } refused)
            return refused;
        if (tier == SubscriptionTier.Free && IsUnpaid)
            return Error.Conflict("A payment is overdue. Settle the open invoice first; moving to Free is possible again afterwards.");
        PendingTier = tier;
        PendingCycle = tier == SubscriptionTier.Free ? BillingCycle.Monthly : cycle;
        PendingChangeAt = at;
        CurrentPeriodEndsAt = at;
        return new PlanSwitch(tier, PendingCycle.Value, Charged: tier != SubscriptionTier.Free, at);
    }

    /// <summary>
    /// The owner withdraws a cancellation or a scheduled change before the period end: the subscription continues as it
    /// is (the caller drops what the history had scheduled).
    /// </summary>
    public Result ResumeSubscription(DateTimeOffset now)
    {
        if (Status == TenantStatus.Cancelled)
            return new Error(ErrorCodes.NoSubscription, "The subscription has ended; choose a plan to subscribe again.");
        if (!CancelAtPeriodEnd && PendingTier is null)
            return new Error(ErrorCodes.NoSubscription, "Nothing to undo: the subscription continues as it is.");
        CancelAtPeriodEnd = false;
        ClearPending();
        return Result.Success();
    }

    /// <summary>
    /// The owner moves a tenant without a paid subscription (a trial, an ended trial, a cancellation) to Free now: Active,
    /// nothing charged. Refused while an operator's suspension holds or a payment is overdue.
    /// </summary>
    public Result<PlanSwitch> SwitchToFree(DateTimeOffset now)
    {
        if (HasPaidSubscription)
            return Error.Conflict("A paid subscription moves to Free at its period end; schedule the change instead.");
        if (Tier == SubscriptionTier.Free && Status == TenantStatus.Active)
            return new Error(ErrorCodes.SamePlan, "The workspace is on Free already.", "tier");
        if (RefusedWhileHeldOrUnpaid("choosing a plan") is { } refused)
            return refused;
        MoveToFree();
        Status = TenantStatus.Active;
        ClearSuspension();
        return new PlanSwitch(SubscriptionTier.Free, BillingCycle.Monthly, Charged: false, now);
    }

    /// <summary>
    /// The owner cancels the paid subscription at the period end (it runs, and can be resumed, until then) or at once
    /// (Cancelled now). Nothing is charged from the end on. Allowed in every state with a paid subscription, suspended
    /// ones included: an operator's suspension outlives the subscription.
    /// </summary>
    public Result<PlanSwitch> Cancel(bool atPeriodEnd, DateTimeOffset now)
    {
        if (!HasPaidSubscription)
            return new Error(ErrorCodes.NoSubscription, Status == TenantStatus.Trial
                ? "A trial has no subscription to cancel. Choose Free to end the trial now, or let it run out."
                : "There is no paid subscription to cancel.");
        if (atPeriodEnd && CancelAtPeriodEnd)
            return Error.Conflict($"The subscription already ends on {Day(CurrentPeriodEndsAt ?? now)}.");
        var at = atPeriodEnd ? PeriodEnd(now) : now;
        ClearPending();
        CurrentPeriodEndsAt = at;
        CancelAtPeriodEnd = atPeriodEnd;
        if (!atPeriodEnd)
            EndSubscription();
        return new PlanSwitch(Tier, BillingCycle, Charged: false, at);
    }

    // ---- Period ends (the subscription-renewals job) -------------------------------------------------------------

    /// <summary>A change scheduled for the period end takes effect once it is due. A move to Free ends dunning.</summary>
    public Result<PlanSwitch> ApplyScheduledChange(DateTimeOffset now)
    {
        if (PendingTier is not { } tier || PendingChangeAt is not { } at || at > now)
            return Error.Conflict("No scheduled change is due.");
        var cycle = PendingCycle ?? BillingCycle.Monthly;
        ClearPending();
        if (tier == SubscriptionTier.Free)
            MoveToFree();
        else
        {
            Tier = tier;
            BillingCycle = cycle;
            CurrentPeriodEndsAt = NextPeriodEnd(cycle, at);
        }
        return new PlanSwitch(Tier, BillingCycle, Charged: tier != SubscriptionTier.Free, at);
    }

    /// <summary>A subscription set to end at the period end ends once the period is over: Cancelled.</summary>
    public Result EndAtPeriodEnd(DateTimeOffset now)
    {
        if (!CancelAtPeriodEnd || CurrentPeriodEndsAt is not { } end || end > now)
            return Error.Conflict("No subscription is due to end.");
        EndSubscription();
        return Result.Success();
    }

    /// <summary>On the ledger, a paid subscription whose period is over renews: the period end rolls forward past now (not while suspended).</summary>
    public Result RenewPeriod(DateTimeOffset now)
    {
        if (!HasPaidSubscription || Status == TenantStatus.Suspended || CancelAtPeriodEnd || CurrentPeriodEndsAt is not { } renewal || renewal > now)
            return Error.Conflict("No renewal is due.");
        while (renewal <= now)
            renewal = BillingCycle == BillingCycle.Annual ? renewal.AddMonths(12) : renewal.AddMonths(1);
        CurrentPeriodEndsAt = renewal;
        return Result.Success();
    }

    // ---- Payments and dunning ------------------------------------------------------------------------------------

    /// <summary>
    /// A payment is overdue or failed (the dunning job on the ledger, a failed payment in Stripe): an Active or Trial
    /// tenant on a paid tier becomes PastDue, dunning counted from the first <paramref name="since"/>. Free is never
    /// PastDue (it has nothing to withhold); suspended and cancelled tenants stay as they are.
    /// </summary>
    public Result MarkPastDue(DateTimeOffset since, DateTimeOffset now)
    {
        if (Tier == SubscriptionTier.Free)
            return Error.Conflict($"{Name} is on Free, which has no paid service to withhold: dunning is for paid plans.");
        if (Status is not (TenantStatus.Active or TenantStatus.Trial or TenantStatus.PastDue))
            return Error.Conflict($"{Name} is {StatusName}, not in a state that a failed payment changes.");
        // A trial pays nothing, unless it is the provider's trial of a subscription that has started.
        if (Status == TenantStatus.Trial && SubscriptionStartedAt is null)
            return Error.Conflict($"{Name} is on a trial without a subscription: there is no payment to fail.");
        Status = TenantStatus.PastDue;
        PastDueSince ??= since;
        return Result.Success();
    }

    /// <summary>The dunning job: a tenant PastDue for longer than <paramref name="grace"/> is suspended (<see cref="Tenants.SuspensionReason.NonPayment"/>).</summary>
    public Result SuspendForNonPayment(TimeSpan grace, DateTimeOffset now)
    {
        if (Status != TenantStatus.PastDue || PastDueSince is not { } since || since + grace > now)
            return Error.Conflict($"{Name} is not past due beyond the grace period.");
        Suspend(Tenants.SuspensionReason.NonPayment, now);
        return Result.Success();
    }

    /// <summary>
    /// What was overdue is paid (at <paramref name="paidAt"/>): dunning ends and a PastDue tenant, or one suspended for
    /// non-payment, is Active again. An operator's suspension stays. A payment older than the start of dunning settles
    /// nothing of it (a newer failure still stands).
    /// </summary>
    public Result RecordPayment(DateTimeOffset paidAt, DateTimeOffset now)
    {
        if (PastDueSince is not { } since || !(IsUnpaid || IsHeldByOperator))
            return Error.Conflict($"{Name} is {StatusName}, not in dunning.");
        if (since > paidAt)
            return Error.Conflict(string.Create(CultureInfo.InvariantCulture, $"{Name} became past due at {since:O}, after this payment."));
        PastDueSince = null;
        if (IsHeldByOperator)
            return Result.Success();
        Status = TenantStatus.Active;
        ClearSuspension();
        return Result.Success();
    }

    // ---- Operators -----------------------------------------------------------------------------------------------

    /// <summary>
    /// An operator suspends the tenant: from Trial, Active, PastDue, or over a billing suspension (which it replaces:
    /// paying or subscribing no longer lifts it). Only <see cref="ReactivateByOperator"/> lifts it.
    /// </summary>
    public Result SuspendByOperator(DateTimeOffset now)
    {
        if (IsHeldByOperator)
            return Error.Conflict($"{Name} is suspended by an operator already.");
        if (Status == TenantStatus.Cancelled)
            return Error.Conflict($"{Name} is cancelled already.");
        Suspend(Tenants.SuspensionReason.Operator, now);
        return Result.Success();
    }

    /// <summary>
    /// An operator lifts a suspension (any reason): the tenant is back on its trial when the trial has not ended and it
    /// has no subscription. One whose trial ended under the operator's suspension is then suspended for the ended trial
    /// (billing's suspension: subscribing or extending the trial lifts it); lifting that one too is an operator's grant
    /// of the tier: Active. A Cancelled tenant held by an operator stays Cancelled, without the hold. A reactivated
    /// past-due tenant starts afresh (its open invoices stay open).
    /// </summary>
    public Result ReactivateByOperator(DateTimeOffset now)
    {
        if (Status == TenantStatus.Cancelled && IsHeldByOperator)
        {
            ClearSuspension();
            return Result.Success();
        }
        if (Status != TenantStatus.Suspended)
            return Error.Conflict($"{Name} is not suspended; it is {StatusName}.");
        var lifted = SuspensionReason;
        var trialOnly = TrialEndsAt is not null && SubscriptionStartedAt is null && StripeSubscriptionId is null && Tier != SubscriptionTier.Free;
        PastDueSince = null;
        ClearSuspension();
        if (trialOnly && TrialEndsAt > now)
            Status = TenantStatus.Trial;
        else if (trialOnly && lifted == Tenants.SuspensionReason.Operator)
            Suspend(Tenants.SuspensionReason.TrialExpired, now);
        else
            Status = TenantStatus.Active;
        return Result.Success();
    }

    /// <summary>
    /// An operator moves the tenant to another tier at once: charged when it has a paid subscription, free of charge
    /// otherwise (a trial of the new tier, or a grant). A scheduled change is withdrawn. Moving to Free ends a trial
    /// (an ended one included) and dunning. Tenants billed through Stripe change plan in Stripe.
    /// </summary>
    public Result<PlanSwitch> ChangeTierByOperator(SubscriptionTier tier, DateTimeOffset now)
    {
        if (!Enum.IsDefined(tier))
            return Error.Invalid("tier", "Choose one of the plans.");
        if (tier == Tier)
            return Error.Invalid("tier", $"{Name} is on {tier} already.");
        if (StripeSubscriptionId is not null)
            return Error.Conflict($"{Name} is billed through Stripe; change its plan there.");
        var charged = PaysFor(tier);
        ClearPending();
        if (tier == SubscriptionTier.Free)
        {
            MoveToFree();
            if (Status == TenantStatus.Trial)
                Status = TenantStatus.Active;
        }
        else
            Tier = tier;
        return new PlanSwitch(Tier, BillingCycle, charged, now);
    }

    // ---- The payment provider (Stripe) ---------------------------------------------------------------------------

    /// <summary>Links the tenant's Stripe customer (the first one wins; false when nothing changed).</summary>
    public bool LinkStripeCustomer(string? customerId)
    {
        if (string.IsNullOrEmpty(customerId) || StripeCustomerId is not null)
            return false;
        StripeCustomerId = customerId;
        return true;
    }

    /// <summary>True when <paramref name="subscriptionId"/> is the tenant's subscription and has ended, which is final for it.</summary>
    public bool HasEnded(string subscriptionId) => Status == TenantStatus.Cancelled && StripeSubscriptionId == subscriptionId;

    /// <summary>Moves the tenant's Stripe state forward to <paramref name="at"/> (the creation time of the newest event applied); never back.</summary>
    public void AdvanceStripeState(DateTimeOffset at)
    {
        if (StripeStateAt is null || StripeStateAt < at)
            StripeStateAt = at;
    }

    /// <summary>
    /// The provider reports a live subscription (a completed Checkout, a created or updated subscription) at
    /// <paramref name="at"/>: the tenant mirrors its ids, dates and plan. Active or trialing makes the tenant Active (or
    /// keeps its Trial) and lifts a billing suspension, unless a newer payment failure stands; past due starts dunning.
    /// An operator's suspension holds whatever the provider says. Refused for a subscription that has ended (final) and
    /// for an ended one (use <see cref="EndProviderSubscription"/>). Returns the plan switch when the report names a plan.
    /// </summary>
    public Result<PlanSwitch?> ApplyProviderSubscription(ProviderSubscription subscription, DateTimeOffset at, DateTimeOffset now)
    {
        if (subscription.Status == ProviderSubscriptionStatus.Ended)
            throw new ArgumentException("An ended subscription is applied with EndProviderSubscription.", nameof(subscription));
        if (HasEnded(subscription.Id))
            return Error.Conflict($"Subscription {subscription.Id} was cancelled, which is final: a new subscription has a new id.");

        // The portal has no price for Free: a report naming it names no plan of the portal's.
        var paidPlan = subscription is { Tier: { } reported and not SubscriptionTier.Free, Cycle: not null } ? reported : (SubscriptionTier?)null;
        if (paidPlan is null && Tier == SubscriptionTier.Free)
            return Error.Conflict($"Subscription {subscription.Id} names no paid plan of the portal's, and {Name} is on Free: nothing to apply.");
        var isNew = StripeSubscriptionId != subscription.Id;
        LinkStripeCustomer(subscription.CustomerId);
        MoveBillingToStripe(subscription, Earlier(subscription.StartedAt ?? at, now));
        StripeSubscriptionId = subscription.Id;
        if (subscription.StartedAt is { } started)
            SubscriptionStartedAt = started;
        else if (isNew || SubscriptionStartedAt is null)
            SubscriptionStartedAt = at;
        CurrentPeriodEndsAt = subscription.CurrentPeriodEndsAt ?? CurrentPeriodEndsAt;
        CancelAtPeriodEnd = subscription.CancelAtPeriodEnd ?? (!isNew && CancelAtPeriodEnd);
        // A subscription that ends at the period end has nothing scheduled after it.
        if (CancelAtPeriodEnd)
            ClearPending();
        if (subscription.Status == ProviderSubscriptionStatus.Trialing && subscription.TrialEndsAt is { } trialEnd)
            TrialEndsAt = trialEnd;

        PlanSwitch? plan = null;
        if (paidPlan is { } tier && subscription.Cycle is { } cycle)
        {
            Tier = tier;
            BillingCycle = cycle;
            // The provider carried out the change scheduled for the period end.
            if (PendingTier == tier && (PendingCycle ?? cycle) == cycle && PendingChangeAt <= now)
                ClearPending();
            // A subscription new to the tenant is charged from its start; a change of a known one from the event.
            var from = isNew && subscription.StartedAt is { } start ? start : at;
            plan = new PlanSwitch(Tier, BillingCycle, Charged: subscription.Status != ProviderSubscriptionStatus.Trialing, from < now ? from : now);
        }

        if (subscription.Status == ProviderSubscriptionStatus.PastDue)
        {
            if (Status == TenantStatus.Cancelled)
                Status = IsHeldByOperator ? TenantStatus.Suspended : TenantStatus.Active;
            MarkPastDue(at, now);
        }
        else
            Activate(subscription.Status == ProviderSubscriptionStatus.Trialing && Status == TenantStatus.Trial ? TenantStatus.Trial : TenantStatus.Active, at);
        return plan;
    }

    /// <summary>
    /// The provider reports that a subscription ended (deleted, cancelled, or expired unpaid) at its
    /// <see cref="ProviderSubscription.EndedAt"/>: the tenant is Cancelled and nothing is charged from then on; one whose
    /// scheduled move to Free was waiting for this end is on Free instead. Dunning and billing suspensions end with the
    /// subscription; an operator's suspension stays.
    /// </summary>
    public Result<PlanSwitch> EndProviderSubscription(ProviderSubscription subscription, DateTimeOffset at, DateTimeOffset now)
    {
        if (subscription.Status != ProviderSubscriptionStatus.Ended)
            throw new ArgumentException("Only an ended subscription ends the tenant's.", nameof(subscription));
        if (HasEnded(subscription.Id))
            return Error.Conflict($"Subscription {subscription.Id} has ended already.");
        LinkStripeCustomer(subscription.CustomerId);
        MoveBillingToStripe(subscription, Earlier(subscription.StartedAt ?? subscription.EndedAt ?? at, now));
        StripeSubscriptionId = subscription.Id;
        SubscriptionStartedAt = subscription.StartedAt ?? SubscriptionStartedAt;
        var endedAt = subscription.EndedAt ?? at;
        if (endedAt > now)
            endedAt = now;
        if (PendingTier == SubscriptionTier.Free || Tier == SubscriptionTier.Free)
        {
            MoveToFree();
            return new PlanSwitch(SubscriptionTier.Free, BillingCycle.Monthly, Charged: false, endedAt);
        }
        // The report is the subscription's last state: it ended on the plan it names.
        if (subscription is { Tier: { } tier and not SubscriptionTier.Free, Cycle: { } cycle })
            (Tier, BillingCycle) = (tier, cycle);
        CurrentPeriodEndsAt = endedAt;
        EndSubscription();
        return new PlanSwitch(Tier, BillingCycle, Charged: false, endedAt);
    }

    // ---- Shared steps --------------------------------------------------------------------------------------------

    // The tenant's first Stripe subscription: its plan time is billed by Stripe from the subscription's start on (the
    // time before, on the ledger). Kept once set: a later subscription is Stripe's too.
    private void MoveBillingToStripe(ProviderSubscription subscription, DateTimeOffset startedAt)
    {
        if (StripeSubscriptionId is null && StripeBillingStartedAt is null && !string.IsNullOrEmpty(subscription.Id))
            StripeBillingStartedAt = startedAt;
    }

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    // Active (or Trial) again after a payment or a live subscription: ends dunning and billing suspensions. An operator's
    // suspension holds (a Cancelled tenant under it is Suspended again: it has a subscription now), and a payment
    // failure newer than this news still stands.
    private void Activate(TenantStatus target, DateTimeOffset at)
    {
        if (IsHeldByOperator)
        {
            Status = TenantStatus.Suspended;
            return;
        }
        if (IsUnpaid && PastDueSince > at)
            return;
        Status = target;
        PastDueSince = null;
        ClearSuspension();
    }

    private void Suspend(SuspensionReason reason, DateTimeOffset now)
    {
        Status = TenantStatus.Suspended;
        SuspensionReason = reason;
        SuspendedAt = now;
    }

    // The subscription is over: Cancelled. Dunning and billing suspensions end with it; an operator's suspension holds.
    private void EndSubscription()
    {
        Status = TenantStatus.Cancelled;
        CancelAtPeriodEnd = false;
        PastDueSince = null;
        ClearPending();
        if (!IsHeldByOperator)
            ClearSuspension();
    }

    // On Free the paid subscription is over: nothing is pending or renewing, and dunning and billing suspensions end
    // with it (open invoices stay open for the operators). An operator's suspension holds.
    private void MoveToFree()
    {
        Tier = SubscriptionTier.Free;
        BillingCycle = BillingCycle.Monthly;
        CurrentPeriodEndsAt = null;
        CancelAtPeriodEnd = false;
        ClearPending();
        PastDueSince = null;
        if (Status == TenantStatus.PastDue || SuspensionReason is Tenants.SuspensionReason.NonPayment or Tenants.SuspensionReason.TrialExpired)
        {
            Status = TenantStatus.Active;
            ClearSuspension();
        }
    }

    private void ClearSuspension()
    {
        SuspensionReason = null;
        SuspendedAt = null;
    }

    private void ClearPending()
    {
        PendingTier = null;
        PendingCycle = null;
        PendingChangeAt = null;
    }

    // ---- Deletion -----------------------------------------------------------------------------------------------

    /// <summary>
    /// The owner deletes the tenant: it is marked at <paramref name="now"/> and is gone for everyone from then on, whatever its
    /// status; its data is deleted afterwards, in batches. Refused when the deletion was requested already.
    /// </summary>
    public Result RequestDeletion(DateTimeOffset now)
    {
        if (DeletionRequestedAt is not null)
            return Error.Conflict($"{Name} is being deleted already.");
        DeletionRequestedAt = now;
        return Result.Success();
    }

    private Error? RefusedWhileHeldOrUnpaid(string what)
    {
        if (IsHeldByOperator)
            return Error.Conflict($"An operator has suspended this workspace; {what} is possible again once an operator lifts the suspension. Contact support.");
        if (IsUnpaid)
            return Error.Conflict($"A payment is overdue. Settle the open invoice first; {what} is possible again afterwards.");
        return null;
    }

    private Error? RefusedWithoutLiveSubscription(string what)
    {
        if (!HasPaidSubscription)
            return new Error(ErrorCodes.NoSubscription, "There is no paid subscription to change; choose a plan to subscribe.");
        if (IsHeldByOperator)
            return Error.Conflict($"An operator has suspended this workspace; you can {what} once an operator lifts the suspension. Contact support.");
        if (Status == TenantStatus.Suspended)
            return Error.Conflict($"The workspace is suspended for an unpaid invoice. Settle the open invoice first; you can {what} afterwards.");
        if (CancelAtPeriodEnd)
            return Error.Conflict($"The subscription ends on {Day(CurrentPeriodEndsAt ?? DateTimeOffset.MinValue)}. Reactivate it first, then {what}.");
        return null;
    }

    private string StatusName => Status.ToString().ToLowerInvariant();

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
