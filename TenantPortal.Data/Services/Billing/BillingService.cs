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
        int? daysLeft = tenant is { Status: TenantStatus.Trial, TrialEndsAt: { } end } ? BillingStatusRules.TrialDaysLeft(end, now) : null;
        return new BillingOverview(tenant.Tier, tenant.BillingCycle, tenant.Status, PlanCatalog.For(tenant.Tier).PriceCents(tenant.BillingCycle),
            PlanChangeRules.HasPaidSubscription(tenant), tenant.Status == TenantStatus.Trial ? tenant.TrialEndsAt : null, daysLeft,
            tenant.SubscriptionStartedAt, tenant.CurrentPeriodEndsAt, tenant.CancelAtPeriodEnd, tenant.PendingTier, tenant.PendingCycle,
            tenant.PendingChangeAt, tenant.PastDueSince, tenant.SuspendedAt,
            tenant.PastDueSince?.AddDays(billing.Value.DunningDays), gateway.IsExternal, gate.Value.Role, upcoming);
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
        if (tenant.Status == TenantStatus.Suspended && preview.Kind is PlanChangeKind.Upgrade or PlanChangeKind.Downgrade)
            return Error.Conflict("The workspace is suspended for an unpaid invoice. Settle the open invoice first; plan changes are possible again afterwards.");

        var from = $"{tenant.Tier} ({Cycle(tenant.BillingCycle)})";
        string message;
        switch (preview.Kind)
        {
            case PlanChangeKind.Subscribe when gateway.IsExternal:
            {
                var checkout = await gateway.StartSubscriptionAsync(tenant, tier, cycle, returnUrl, cancellationToken);
                if (!checkout.IsSuccess)
                    return Failed("start a subscription", checkout.Error);
                await SaveAsync(db, tenant, cancellationToken);
                return new PlanChangeOutcome(preview.Kind, now, checkout.Value, "Continue on Stripe's secure Checkout page to start the subscription.");
            }
            case PlanChangeKind.Subscribe:
                await PlanHistory.SwitchAsync(db, tenant, tier, cycle, charged: true, now, now, cancellationToken);
                tenant.Status = TenantStatus.Active;
                tenant.SubscriptionStartedAt = now;
                tenant.CurrentPeriodEndsAt = NextPeriodEnd(cycle, now);
                tenant.CancelAtPeriodEnd = false;
                tenant.PastDueSince = null;
                tenant.SuspendedAt = null;
                ClearPending(tenant);
                audit.Record(db, tenant.Id, actor, AuditActions.SubscriptionStarted, $"tenant:{tenant.Slug}",
                    $"{tier} ({Cycle(cycle)}) from {from}, {Money.Format(preview.ProrationCents)} this period");
                message = $"You are on {tier} now.";
                break;
            case PlanChangeKind.Upgrade:
            {
                var changed = await gateway.ChangePlanAsync(tenant, tier, cycle, prorate: true, cancellationToken);
                if (!changed.IsSuccess)
                    return Failed("change the plan", changed.Error);
                var cycleChanged = cycle != tenant.BillingCycle;
                await PlanHistory.SwitchAsync(db, tenant, tier, cycle, charged: true, now, now, cancellationToken);
                if (cycleChanged || tenant.CurrentPeriodEndsAt is null || tenant.CurrentPeriodEndsAt <= now)
                    tenant.CurrentPeriodEndsAt = NextPeriodEnd(cycle, now);
                ClearPending(tenant);
                audit.Record(db, tenant.Id, actor, AuditActions.PlanChanged, $"tenant:{tenant.Slug}",
                    $"{from} to {tier} ({Cycle(cycle)}), prorated {Money.Format(preview.ProrationCents)}");
                message = $"You are on {tier} now; {Money.Format(preview.ProrationCents)} is added to this period's invoice.";
                break;
            }
            case PlanChangeKind.Downgrade:
            {
                var at = preview.EffectiveAt;
                var done = tier == SubscriptionTier.Free
                    ? await gateway.CancelAsync(tenant, atPeriodEnd: true, cancellationToken)
                    : Result.Success();
                if (!done.IsSuccess)
                    return Failed("schedule the change", done.Error);
                await PlanHistory.SwitchAsync(db, tenant, tier, cycle, charged: tier != SubscriptionTier.Free, at, now, cancellationToken);
                tenant.PendingTier = tier;
                tenant.PendingCycle = cycle;
                tenant.PendingChangeAt = at;
                tenant.CurrentPeriodEndsAt = at;
                audit.Record(db, tenant.Id, actor, AuditActions.PlanChangeScheduled, $"tenant:{tenant.Slug}",
                    $"{from} to {tier} ({Cycle(cycle)}) on {Day(at)}");
                message = $"You move to {tier} on {Day(at)}; until then you keep {tenant.Tier}.";
                break;
            }
            case PlanChangeKind.SwitchToFree:
                await PlanHistory.SwitchAsync(db, tenant, SubscriptionTier.Free, BillingCycle.Monthly, charged: false, now, now, cancellationToken);
                tenant.Status = TenantStatus.Active;
                tenant.SuspendedAt = null;
                tenant.CancelAtPeriodEnd = false;
                tenant.CurrentPeriodEndsAt = null;
                ClearPending(tenant);
                audit.Record(db, tenant.Id, actor, AuditActions.PlanChanged, $"tenant:{tenant.Slug}", $"{from} to Free");
                message = "The workspace is on Free now.";
                break;
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
        if (!PlanChangeRules.HasPaidSubscription(tenant))
            return new Error(ErrorCodes.NoSubscription, tenant.Status == TenantStatus.Trial
                ? "A trial has no subscription to cancel. Choose Free to end the trial now, or let it run out."
                : "There is no paid subscription to cancel.");
        var now = time.GetUtcNow();
        if (atPeriodEnd && tenant.CancelAtPeriodEnd)
            return Error.Conflict($"The subscription already ends on {Day(tenant.CurrentPeriodEndsAt ?? now)}.");
        var cancelled = await gateway.CancelAsync(tenant, atPeriodEnd, cancellationToken);
        if (!cancelled.IsSuccess)
            return Failed("cancel the subscription", cancelled.Error);

        var at = atPeriodEnd ? PeriodEnd(tenant, now) : now;
        await PlanHistory.SwitchAsync(db, tenant, tenant.Tier, tenant.BillingCycle, charged: false, at, now, cancellationToken);
        ClearPending(tenant);
        tenant.CurrentPeriodEndsAt = at;
        tenant.CancelAtPeriodEnd = atPeriodEnd;
        if (!atPeriodEnd)
            tenant.Status = TenantStatus.Cancelled;
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
        if (tenant.Status == TenantStatus.Cancelled)
            return new Error(ErrorCodes.NoSubscription, "The subscription has ended; choose a plan to subscribe again.");
        if (!tenant.CancelAtPeriodEnd && tenant.PendingTier is null)
            return new Error(ErrorCodes.NoSubscription, "Nothing to undo: the subscription continues as it is.");
        if (tenant.CancelAtPeriodEnd || tenant.PendingTier == SubscriptionTier.Free)
        {
            var reactivated = await gateway.ReactivateAsync(tenant, cancellationToken);
            if (!reactivated.IsSuccess)
                return Failed("reactivate the subscription", reactivated.Error);
        }
        var now = time.GetUtcNow();
        var withdrawn = tenant.CancelAtPeriodEnd ? "cancellation" : $"move to {tenant.PendingTier}";
        await PlanHistory.DropScheduledAsync(db, tenant, now, cancellationToken);
        tenant.CancelAtPeriodEnd = false;
        ClearPending(tenant);
        audit.Record(db, tenant.Id, actor, AuditActions.SubscriptionReactivated, $"tenant:{tenant.Slug}", $"{withdrawn} withdrawn; {tenant.Tier} continues");
        return await SaveAsync(db, tenant, cancellationToken);
    }

    /// <summary>The address of Stripe's Customer Portal for payment methods (Owner; Stripe only).</summary>
    public async Task<Result<string>> PaymentMethodsUrlAsync(Actor actor, Uri returnUrl, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageSubscription, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await LoadAsync(db, gate.Value.TenantId, cancellationToken);
        var url = await gateway.PaymentMethodsUrlAsync(tenant, returnUrl, cancellationToken);
        if (!url.IsSuccess)
            return url.Error.Code == ErrorCodes.NotAvailableInLedger ? url.Error : Failed("open the payment methods", url.Error);
        var saved = await SaveAsync(db, tenant, cancellationToken);
        return saved.IsSuccess ? url.Value : saved.Error;
    }

    /// <summary>The end of the tenant's current period: the renewal date, or the end of the calendar month.</summary>
    public static DateTimeOffset PeriodEnd(Tenant tenant, DateTimeOffset now)
    {
        if (tenant.CurrentPeriodEndsAt is { } end && end > now)
            return end;
        if (tenant.BillingCycle == BillingCycle.Annual && tenant.SubscriptionStartedAt is { } start)
        {
            var next = start;
            while (next <= now)
                next = next.AddMonths(12);
            return next;
        }
        return PeriodMath.MonthStart(now).AddMonths(1);
    }

    /// <summary>The end of a period of <paramref name="cycle"/> starting now: the calendar month's end, or a year on.</summary>
    public static DateTimeOffset NextPeriodEnd(BillingCycle cycle, DateTimeOffset now) =>
        cycle == BillingCycle.Annual ? now.AddMonths(12) : PeriodMath.MonthStart(now).AddMonths(1);

    private async Task<PlanChangePreview> PreviewAsync(PortalDbContext db, Tenant tenant, SubscriptionTier tier, BillingCycle cycle,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var kind = PlanChangeRules.Classify(tenant, tier, cycle);
        var blockers = kind is PlanChangeKind.Downgrade or PlanChangeKind.SwitchToFree
            ? PlanChangeRules.Blockers(tier, await UsageMeter.UsedAsync(db, PeriodMath.MonthStart(now), now, cancellationToken), tenant.QuotaOverrides)
            : [];
        var effectiveAt = kind == PlanChangeKind.Downgrade ? PeriodEnd(tenant, now) : now;
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
            gateway.IsExternal && tenant.StripeSubscriptionId is not null, cancellationToken);
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

    private static void ClearPending(Tenant tenant)
    {
        tenant.PendingTier = null;
        tenant.PendingCycle = null;
        tenant.PendingChangeAt = null;
    }

    private static string Cycle(BillingCycle cycle) => cycle == BillingCycle.Annual ? "annual" : "monthly";

    private static string Per(BillingCycle cycle) => cycle == BillingCycle.Annual ? "year" : "month";

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Month(DateTimeOffset at) => at.UtcDateTime.ToString("MMMM", CultureInfo.InvariantCulture);
}
