using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// The current tenant's subscription: what it is, what a change would cost, and the changes themselves (subscribe,
/// upgrade now with proration, downgrade at the period end unless usage exceeds the lower plan's hard limits, cancel,
/// reactivate). The rules live here, for both gateways; the gateway only carries them out. Viewing needs Admin,
/// changing needs Owner (PRODUCT.md section 3), checked against the database on every call.
/// </summary>
public sealed class BillingService(
    IDbContextFactory<PortalDbContext> contexts,
    IPaymentGateway gateway,
    AuditWriter audit,
    IOptions<BillingOptions> billing,
    TimeProvider time,
    ILogger<BillingService> logger)
{
    /// <summary>The subscription and the running period's invoice so far (Admin).</summary>
    public Task<Result<BillingOverview>> GetOverviewAsync(Actor actor, CancellationToken cancellationToken) =>
        OverviewAsync(actor, TenantPermission.ViewBilling, cancellationToken);

    /// <summary>
    /// The same overview, read by whoever may change the subscription (Owner; an API key with billing:write): the state a
    /// change is checked against (If-Match) and answered with, without also needing the right to view billing.
    /// </summary>
    public Task<Result<BillingOverview>> GetOverviewToManageAsync(Actor actor, CancellationToken cancellationToken) =>
        OverviewAsync(actor, TenantPermission.ManageSubscription, cancellationToken);

    private async Task<Result<BillingOverview>> OverviewAsync(Actor actor, TenantPermission permission, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, permission, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await LoadAsync(db, gate.Value.TenantId, cancellationToken);
        var now = time.GetUtcNow();
        var upcoming = await UpcomingAsync(db, tenant, now, cancellationToken);
        return new BillingOverview(tenant.Tier, tenant.BillingCycle, tenant.Status, PlanCatalog.For(tenant.Tier).PriceCents(tenant.BillingCycle),
            tenant.HasPaidSubscription, tenant.Status == TenantStatus.Trial ? tenant.TrialEndsAt : null, tenant.TrialDaysLeft(now),
            tenant.SubscriptionStartedAt, tenant.CurrentPeriodEndsAt, tenant.CancelAtPeriodEnd, tenant.PendingTier, tenant.PendingCycle,
            tenant.PendingChangeAt, tenant.PastDueSince, tenant.SuspendedAt,
            tenant.PastDueSince?.AddDays(billing.Value.DunningDays), gateway.UsesStripe(tenant), gate.Value.Role, upcoming);
    }

    /// <summary>What choosing <paramref name="tier"/>/<paramref name="cycle"/> would do and cost, before confirming (Admin).</summary>
    public async Task<Result<PlanChangePreview>> PreviewChangeAsync(Actor actor, SubscriptionTier tier, BillingCycle cycle, CancellationToken cancellationToken)
    {
        var input = Validate(tier, cycle);
        if (!input.IsSuccess)
            return input.Error;
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewBilling, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await LoadAsync(db, gate.Value.TenantId, cancellationToken);
        var now = time.GetUtcNow();
        var preview = await PreviewAsync(db, tenant, tier, cycle, now, cancellationToken);
        var upcoming = await UpcomingAsync(db, tenant, now, cancellationToken);
        return preview with { UpcomingTotalCents = upcoming.TotalCents + preview.ProrationCents };
    }

    /// <summary>
    /// Subscribes, upgrades (at once, prorated), schedules a downgrade for the period end, or moves a trial to Free
    /// (Owner). A downgrade is refused while usage exceeds the lower plan's hard limits, naming each. With Stripe, a
    /// first subscription returns Checkout's address and changes nothing until Stripe confirms it.
    /// </summary>
    public async Task<Result<PlanChangeOutcome>> ChangePlanAsync(Actor actor, SubscriptionTier tier, BillingCycle cycle, Uri returnUrl,
        CancellationToken cancellationToken)
    {
        var input = Validate(tier, cycle);
        if (!input.IsSuccess)
            return input.Error;
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageSubscription, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await LoadAsync(db, gate.Value.TenantId, cancellationToken);
        var now = time.GetUtcNow();
        var preview = await PreviewAsync(db, tenant, tier, cycle, now, cancellationToken);
        if (preview.Kind == PlanChangeKind.Same)
            return new Error(ErrorCodes.SamePlan, $"You are already on {tier} ({Cycle(cycle)}).", "tier");
        if (preview.Blockers.Count > 0)
            return new Error(ErrorCodes.DowngradeBlocked,
                $"You can't move to {tier} while your usage is above its limits: {string.Join("; ", preview.Blockers)}. Reduce it first, then try again.", "tier");
        var from = $"{tenant.Tier} ({Cycle(tenant.BillingCycle)})";
        // A subscription started on the ledger before Stripe was configured changes there; Stripe has none to change.
        var payments = gateway.For(tenant);
        string message;
        switch (preview.Kind)
        {
            case PlanChangeKind.Subscribe when gateway.IsExternal:
            {
                // Stripe confirms the subscription by webhook; a Checkout the tenant may not complete is not started.
                var may = tenant.MaySubscribe(tier);
                if (!may.IsSuccess)
                    return may.Error;
                var customer = tenant.StripeCustomerId;
                var checkout = await gateway.StartSubscriptionAsync(tenant, tier, cycle, returnUrl, cancellationToken);
                if (!checkout.IsSuccess)
                    return await FailedKeepingCustomerAsync(db, tenant, customer, "start a subscription", checkout.Error, cancellationToken);
                await SaveAsync(db, tenant, cancellationToken);
                return new PlanChangeOutcome(preview.Kind, now, checkout.Value, "Continue on Stripe's secure Checkout page to start the subscription.");
            }
            case PlanChangeKind.Subscribe:
            {
                var subscribed = tenant.Subscribe(tier, cycle, now);
                if (!subscribed.IsSuccess)
                    return subscribed.Error;
                await PlanHistory.RecordAsync(db, tenant.Id, subscribed.Value, cancellationToken);
                audit.Record(db, tenant.Id, actor, AuditActions.SubscriptionStarted, $"tenant:{tenant.Slug}",
                    $"{tier} ({Cycle(cycle)}) from {from}, {Money.Format(preview.ProrationCents)} this period");
                message = $"You are on {tier} now.";
                break;
            }
            case PlanChangeKind.Upgrade:
            {
                // The tenant decides first (a suspension refuses it); the gateway carries it out; then it is saved.
                var upgraded = tenant.ChangePlan(tier, cycle, now);
                if (!upgraded.IsSuccess)
                    return upgraded.Error;
                var changed = await payments.ChangePlanAsync(tenant, tier, cycle, prorate: true, cancellationToken);
                if (!changed.IsSuccess)
                    return Failed("change the plan", changed.Error);
                await PlanHistory.RecordAsync(db, tenant.Id, upgraded.Value, cancellationToken);
                audit.Record(db, tenant.Id, actor, AuditActions.PlanChanged, $"tenant:{tenant.Slug}",
                    $"{from} to {tier} ({Cycle(cycle)}), prorated {Money.Format(preview.ProrationCents)}");
                message = $"You are on {tier} now; {Money.Format(preview.ProrationCents)} is added to this period's invoice.";
                break;
            }
            case PlanChangeKind.Downgrade:
            {
                var at = preview.EffectiveAt;
                var kept = tenant.Tier;
                var scheduled = tenant.ScheduleChange(tier, cycle, at, now);
                if (!scheduled.IsSuccess)
                    return scheduled.Error;
                var done = tier == SubscriptionTier.Free
                    ? await payments.CancelAsync(tenant, atPeriodEnd: true, cancellationToken)
                    : Result.Success();
                if (!done.IsSuccess)
                    return Failed("schedule the change", done.Error);
                await PlanHistory.RecordAsync(db, tenant.Id, scheduled.Value, cancellationToken);
                audit.Record(db, tenant.Id, actor, AuditActions.PlanChangeScheduled, $"tenant:{tenant.Slug}",
                    $"{from} to {tier} ({Cycle(cycle)}) on {Day(at)}");
                message = $"You move to {tier} on {Day(at)}; until then you keep {kept}.";
                break;
            }
            case PlanChangeKind.SwitchToFree:
            {
                var switched = tenant.SwitchToFree(now);
                if (!switched.IsSuccess)
                    return switched.Error;
                await PlanHistory.RecordAsync(db, tenant.Id, switched.Value, cancellationToken);
                audit.Record(db, tenant.Id, actor, AuditActions.PlanChanged, $"tenant:{tenant.Slug}", $"{from} to Free");
                message = "The workspace is on Free now.";
                break;
            }
            default:
                throw new InvalidOperationException($"Unexpected plan change {preview.Kind}.");
        }
        var saved = await SaveAsync(db, tenant, cancellationToken);
        if (!saved.IsSuccess)
            return saved.Error;
        return new PlanChangeOutcome(preview.Kind, preview.EffectiveAt, null, message, preview.ProrationCents);
    }

    /// <summary>Cancels the paid subscription at the period end, or at once (Owner).</summary>
    public async Task<Result<PlanChangeOutcome>> CancelAsync(Actor actor, bool atPeriodEnd, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageSubscription, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await LoadAsync(db, gate.Value.TenantId, cancellationToken);
        var now = time.GetUtcNow();
        var payments = gateway.For(tenant);
        var cancelled = tenant.Cancel(atPeriodEnd, now);
        if (!cancelled.IsSuccess)
            return cancelled.Error;
        var done = await payments.CancelAsync(tenant, atPeriodEnd, cancellationToken);
        if (!done.IsSuccess)
            return Failed("cancel the subscription", done.Error);

        var at = cancelled.Value.At;
        await PlanHistory.RecordAsync(db, tenant.Id, cancelled.Value, cancellationToken);
        audit.Record(db, tenant.Id, actor, AuditActions.SubscriptionCancelled, $"tenant:{tenant.Slug}",
            atPeriodEnd ? $"{tenant.Tier} ends on {Day(at)}" : $"{tenant.Tier} ended at once");
        var saved = await SaveAsync(db, tenant, cancellationToken);
        if (!saved.IsSuccess)
            return saved.Error;
        return new PlanChangeOutcome(PlanChangeKind.Downgrade, at, null, atPeriodEnd
            ? $"The subscription ends on {Day(at)}. You can reactivate it until then."
            : "The subscription has ended.");
    }

    /// <summary>Withdraws a cancellation or a scheduled downgrade before the period end (Owner).</summary>
    public async Task<Result> ReactivateAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageSubscription, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await LoadAsync(db, gate.Value.TenantId, cancellationToken);
        var now = time.GetUtcNow();
        var payments = gateway.For(tenant);
        var inStripe = tenant.CancelAtPeriodEnd || tenant.PendingTier == SubscriptionTier.Free;
        var withdrawn = tenant.CancelAtPeriodEnd ? "cancellation" : $"move to {tenant.PendingTier}";
        var resumed = tenant.ResumeSubscription(now);
        if (!resumed.IsSuccess)
            return resumed.Error;
        if (inStripe)
        {
            var reactivated = await payments.ReactivateAsync(tenant, cancellationToken);
            if (!reactivated.IsSuccess)
                return Failed("reactivate the subscription", reactivated.Error);
        }
        await PlanHistory.DropScheduledAsync(db, tenant, now, cancellationToken);
        audit.Record(db, tenant.Id, actor, AuditActions.SubscriptionReactivated, $"tenant:{tenant.Slug}", $"{withdrawn} withdrawn; {tenant.Tier} continues");
        return await SaveAsync(db, tenant, cancellationToken);
    }

    /// <summary>The address of Stripe's Customer Portal for payment methods (Owner; Stripe only, not for a subscription started on the ledger).</summary>
    public async Task<Result<string>> PaymentMethodsUrlAsync(Actor actor, Uri returnUrl, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageSubscription, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await LoadAsync(db, gate.Value.TenantId, cancellationToken);
        if (gateway.IsExternal && tenant.HasLedgerSubscription)
            return new Error(ErrorCodes.NotAvailableInLedger, "Your subscription started on the portal's own ledger, where invoices are "
                + "settled with your account manager. Payment methods are managed with Stripe once it has ended and you choose a plan again.");
        var customer = tenant.StripeCustomerId;
        var url = await gateway.PaymentMethodsUrlAsync(tenant, returnUrl, cancellationToken);
        if (!url.IsSuccess)
            return url.Error.Code == ErrorCodes.NotAvailableInLedger
                ? url.Error
                : await FailedKeepingCustomerAsync(db, tenant, customer, "open the payment methods", url.Error, cancellationToken);
        var saved = await SaveAsync(db, tenant, cancellationToken);
        return saved.IsSuccess ? url.Value : saved.Error;
    }

    private async Task<PlanChangePreview> PreviewAsync(PortalDbContext db, Tenant tenant, SubscriptionTier tier, BillingCycle cycle,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var kind = PlanChangeRules.Classify(tenant, tier, cycle);
        var blockers = kind is PlanChangeKind.Downgrade or PlanChangeKind.SwitchToFree
            ? PlanChangeRules.Blockers(tier, await UsageMeter.UsedAsync(db, PeriodMath.MonthStart(now), now, cancellationToken), tenant.QuotaOverrides)
            : [];
        var effectiveAt = kind == PlanChangeKind.Downgrade ? tenant.PeriodEnd(now) : now;
        var periodStart = PeriodMath.MonthStart(now);
        var segments = await InvoiceBuilder.SegmentsAsync(db, tenant, periodStart, cancellationToken);
        var before = BaseCharges.For(segments, periodStart).Sum(c => c.AmountCents);
        var after = kind == PlanChangeKind.Same
            ? before
            : BaseCharges.For(PlanHistory.Simulate(segments, tier, cycle, charged: tier != SubscriptionTier.Free, effectiveAt), periodStart).Sum(c => c.AmountCents);
        var proration = after - before;
        var price = PlanCatalog.For(tier).PriceCents(cycle);
        var checkout = kind == PlanChangeKind.Subscribe && gateway.IsExternal;
        var summary = kind switch
        {
            PlanChangeKind.Same => "This is your current plan.",
            PlanChangeKind.Subscribe when checkout => $"{tier} starts once you have paid on Stripe's secure Checkout page: {Money.Format(price)} per {Per(cycle)}.",
            PlanChangeKind.Subscribe => $"{tier} starts now at {Money.Format(price)} per {Per(cycle)}; {Money.Format(proration)} for the rest of {Month(now)} is added to this period's invoice.",
            PlanChangeKind.Upgrade => $"{tier} applies at once. For the rest of {Month(now)} you pay the difference: {Money.Format(proration)}.",
            PlanChangeKind.Downgrade => $"{tier} starts on {Day(effectiveAt)}; until then you keep {tenant.Tier} and its quotas.",
            _ => "The trial ends now and the workspace moves to Free, with Free's limits and nothing to pay.",
        };
        // The upcoming total is added by the preview shown to the owner; a confirmed change does not need it.
        return new PlanChangePreview(tier, cycle, kind, effectiveAt, price, proration, 0, blockers, checkout, summary);
    }

    private async Task<InvoicePreview> UpcomingAsync(PortalDbContext db, Tenant tenant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var periodStart = PeriodMath.MonthStart(now);
        var invoice = await InvoiceBuilder.BuildAsync(db, tenant, periodStart, now, now,
            gateway.IsExternal ? tenant.BaseBilledInStripeFrom : null, cancellationToken);
        // What prepaid credits would pay of it if it were issued now ("Credits applied"); nothing is consumed.
        await Credits.CreditLedger.PreviewAsync(db, invoice, now, cancellationToken);
        return new InvoicePreview(invoice.PeriodStart, invoice.PeriodEnd, invoice.Lines.Select(InvoiceLineRow.From).ToList(), invoice.TotalCents);
    }

    private static async Task<Tenant> LoadAsync(PortalDbContext db, Guid tenantId, CancellationToken cancellationToken) =>
        await db.Tenants.Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);

    private static async Task<Result> SaveAsync(PortalDbContext db, Tenant tenant, CancellationToken cancellationToken)
    {
        tenant.ConcurrencyStamp = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return Result.Success();
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Error(ErrorCodes.ConcurrencyConflict, "The subscription changed meanwhile (another owner, or a payment event). Reload and try again.");
        }
    }

    // A gateway call that failed after the provider created the tenant's customer: the customer is kept (saved) all the
    // same, so a retry, even days later when Stripe no longer remembers the idempotency key, reuses it instead of
    // making a second one. The call's error is what the caller sees.
    private async Task<Error> FailedKeepingCustomerAsync(PortalDbContext db, Tenant tenant, string? customerBefore, string what, Error error,
        CancellationToken cancellationToken)
    {
        if (tenant.StripeCustomerId is { } created && created != customerBefore
            && !(await SaveAsync(db, tenant, cancellationToken)).IsSuccess)
        {
            // The tenant changed meanwhile (a webhook, another owner): link the customer on its current state.
            await using var fresh = contexts.CreateDbContext();
            var current = await fresh.Tenants.SingleAsync(t => t.Id == tenant.Id, cancellationToken);
            if (current.LinkStripeCustomer(created) && !(await SaveAsync(fresh, current, cancellationToken)).IsSuccess)
                logger.LogWarning("Stripe customer {CustomerId} of tenant {TenantId} could not be saved after a failed call", created, tenant.Id);
        }
        return Failed(what, error);
    }

    private Error Failed(string what, Error error)
    {
        logger.LogWarning("Billing could not {What}: {Code} {Message}", what, error.Code, error.Message);
        return error;
    }

    private static Result Validate(SubscriptionTier tier, BillingCycle cycle)
    {
        if (!Enum.IsDefined(tier))
            return Error.Invalid("tier", "Choose one of the plans: Free, Starter, Professional or Enterprise.");
        if (!Enum.IsDefined(cycle))
            return Error.Invalid("cycle", "Choose monthly or annual billing.");
        if (tier == SubscriptionTier.Free && cycle == BillingCycle.Annual)
            return Error.Invalid("cycle", "Free has no annual billing.");
        return Result.Success();
    }

    private static string Cycle(BillingCycle cycle) => cycle == BillingCycle.Annual ? "annual" : "monthly";

    private static string Per(BillingCycle cycle) => cycle == BillingCycle.Annual ? "year" : "month";

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Month(DateTimeOffset at) => at.UtcDateTime.ToString("MMMM", CultureInfo.InvariantCulture);
}
