using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Invitations;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Data.Services.Members;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Tenants;

namespace TenantPortal.Data.Services.Operations;

/// <summary>
/// The operators' view of one tenant and their actions on it: suspend and reactivate, change tier, extend a trial, set
/// or clear quota overrides, resend an invitation, and create a tenant on a customer's behalf. Every method is checked
/// against the Operator role and works across tenants; every action needs a reason, which goes into the tenant's audit
/// log with what changed. Bad input is refused before anything is written.
/// </summary>
public sealed class OperatorTenantService(
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    IServiceScopeFactory scopes,
    InvitationMailer mailer,
    AuditWriter audit,
    TenantCreator creator,
    TimeProvider time)
{
    /// <summary>Longest trial extension in one action, in days.</summary>
    public const int MaxTrialExtensionDays = 90;

    /// <summary>How many of the newest audit entries the detail shows.</summary>
    public const int RecentAuditEntries = 50;

    /// <summary>A tenant's detail: fields, members, pending invitations, this period's usage, invoices and recent audit entries (Operator).</summary>
    public async Task<Result<OperatorTenantDetail>> GetAsync(Actor actor, Guid tenantId, CancellationToken cancellationToken)
    {
        OperatorTenantDetail detail;
        List<QuotaOverride> overrides;
        using (tenantContext.BeginCrossTenantScope("operator reading one tenant's detail"))
        {
            await using var db = contexts.CreateDbContext();
            if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
                return Forbidden();
            var t = await db.Tenants.AsNoTracking().Include(x => x.QuotaOverrides).SingleOrDefaultAsync(x => x.Id == tenantId, cancellationToken);
            if (t is null)
                return Error.NotFound("That tenant was not found.");
            overrides = t.QuotaOverrides;
            var members = await db.Members.Where(m => m.TenantId == tenantId)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.UserId, u.Email, u.DisplayName, m.Role, m.JoinedAt })
                .ToListAsync(cancellationToken);
            var invitations = await db.Invitations.AsNoTracking().Where(i => i.TenantId == tenantId && i.Status == InvitationStatus.Pending)
                .ToListAsync(cancellationToken);
            var invoices = await db.Invoices.AsNoTracking().Where(i => i.TenantId == tenantId).ToListAsync(cancellationToken);
            var entries = await db.AuditEntries.AsNoTracking().Where(e => e.TenantId == tenantId)
                .OrderByDescending(e => e.Id).Take(RecentAuditEntries).ToListAsync(cancellationToken);
            detail = new OperatorTenantDetail(t.Id, t.Name, t.Slug, t.Tier, t.Status, t.BillingCycle, t.BillingEmail, t.CreatedAt, t.TrialEndsAt,
                t.SubscriptionStartedAt, t.CurrentPeriodEndsAt, t.SuspendedAt, t.PastDueSince, t.StripeSubscriptionId is not null,
                members.OrderByDescending(m => m.Role).ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)
                    .Select(m => new MemberRow(m.UserId, m.Email ?? "", m.DisplayName, m.Role, m.JoinedAt)).ToList(),
                invitations.OrderByDescending(i => i.CreatedAt)
                    .Select(i => new InvitationRow(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, i.LastSentAt, i.SendCount)).ToList(),
                [],
                invoices.OrderByDescending(i => i.PeriodStart).ThenByDescending(i => i.IssuedAt)
                    .Select(i => new OperatorInvoiceRow(i.Id, i.Number, i.PeriodStart, i.Status, i.TotalCents, i.IssuedAt, i.DueAt, i.PaidAt, i.StripeInvoiceId is not null))
                    .ToList(),
                entries) { RequireOwnerTwoFactor = t.RequireOwnerTwoFactor, SuspensionReason = t.SuspensionReason };
        }
        // Usage is read exactly as the tenant's own Usage tab reads it: through the tenant filter, in a scope working for it.
        var report = await UsageAsync(tenantId, cancellationToken);
        var usage = report.Metrics.Select(m =>
        {
            var set = overrides.SingleOrDefault(o => o.Metric == m.Metric);
            return new OperatorUsageRow(m.Metric, m.Used, PlanCatalog.For(detail.Tier).Limit(m.Metric), set?.Limit, set?.Reason, m.Limit, m.Percentage, m.Band);
        }).ToList();
        return detail with { Usage = usage };
    }

    /// <summary>Suspends a tenant (Operator): its users see the suspension and quota checks deny with <c>suspended</c>.</summary>
    public Task<Result> SuspendAsync(Actor actor, Guid tenantId, string? reason, CancellationToken cancellationToken) =>
        ActAsync(actor, tenantId, reason, "operator suspending a tenant", (db, tenant, why, now) =>
        {
            var before = (tenant.Status, tenant.SuspensionReason);
            var suspended = tenant.SuspendByOperator(now);
            if (!suspended.IsSuccess)
                return Task.FromResult(suspended);
            audit.Record(db, tenant.Id, actor, AuditActions.OperatorSuspended, $"tenant:{tenant.Slug}",
                $"{Describe(before.Status, before.SuspensionReason)} → Suspended; reason: {why}");
            return Task.FromResult(Result.Success());
        }, cancellationToken);

    /// <summary>
    /// Ends a suspension (Operator): the tenant is back on its trial when the trial has not ended and it has no
    /// subscription, else Active. A reactivated past-due tenant starts afresh (its open invoices stay open).
    /// </summary>
    public Task<Result> ReactivateAsync(Actor actor, Guid tenantId, string? reason, CancellationToken cancellationToken) =>
        ActAsync(actor, tenantId, reason, "operator reactivating a tenant", (db, tenant, why, now) =>
        {
            var before = (tenant.Status, tenant.SuspensionReason);
            var reactivated = tenant.ReactivateByOperator(now);
            if (!reactivated.IsSuccess)
                return Task.FromResult(reactivated);
            audit.Record(db, tenant.Id, actor, AuditActions.OperatorReactivated, $"tenant:{tenant.Slug}",
                $"{Describe(before.Status, before.SuspensionReason)} → {tenant.Status}; reason: {why}");
            return Task.FromResult(Result.Success());
        }, cancellationToken);

    /// <summary>
    /// Moves a tenant to another tier at once (Operator), through the plan history so that invoices follow: charged when
    /// the tenant has a paid subscription, free of charge otherwise (a trial of the new tier, or Free). A scheduled
    /// change is withdrawn. Tenants billed through Stripe change plan in Stripe.
    /// </summary>
    public Task<Result> ChangeTierAsync(Actor actor, Guid tenantId, SubscriptionTier tier, string? reason, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(tier))
            return Task.FromResult<Result>(Error.Invalid("tier", "Choose one of the plans."));
        return ActAsync(actor, tenantId, reason, "operator changing a tenant's tier", async (db, tenant, why, now) =>
        {
            var before = tenant.Tier;
            var changed = tenant.ChangeTierByOperator(tier, now);
            if (!changed.IsSuccess)
                return changed.Error;
            await PlanHistory.RecordAsync(db, tenant.Id, changed.Value, cancellationToken);
            audit.Record(db, tenant.Id, actor, AuditActions.OperatorTierChanged, $"tenant:{tenant.Slug}",
                $"{before} → {tier}, {(changed.Value.Charged ? "charged from now" : "not charged")}; reason: {why}");
            return Result.Success();
        }, cancellationToken);
    }

    /// <summary>
    /// Extends a trial by 1–90 days (Operator): a tenant on its trial, or one suspended because its trial ended without
    /// a subscription, is on Trial until the new end (counted from the old end, or from now when it has passed).
    /// </summary>
    public Task<Result> ExtendTrialAsync(Actor actor, Guid tenantId, int days, string? reason, CancellationToken cancellationToken)
    {
        if (days is < 1 or > MaxTrialExtensionDays)
            return Task.FromResult<Result>(Error.Invalid("days", $"Extend a trial by 1 to {MaxTrialExtensionDays} days."));
        return ActAsync(actor, tenantId, reason, "operator extending a tenant's trial", (db, tenant, why, now) =>
        {
            var before = tenant.Status;
            var extended = tenant.ExtendTrial(TimeSpan.FromDays(days), now);
            if (!extended.IsSuccess)
                return Task.FromResult(extended);
            audit.Record(db, tenant.Id, actor, AuditActions.OperatorTrialExtended, $"tenant:{tenant.Slug}",
                $"by {days} days to {tenant.TrialEndsAt:yyyy-MM-dd HH:mm} UTC ({before} → Trial); reason: {why}");
            return Task.FromResult(Result.Success());
        }, cancellationToken);
    }

    /// <summary>Sets the tenant's quota of a metric to <paramref name="limit"/> (≥ 0, or -1 for unlimited) in place of the plan's (Operator).</summary>
    public Task<Result> SetQuotaOverrideAsync(Actor actor, Guid tenantId, UsageMetric metric, decimal limit, string? reason, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(metric))
            return Task.FromResult<Result>(Error.Invalid("metric", "Choose one of the metrics."));
        if (limit < 0 && limit != PlanCatalog.Unlimited)
            return Task.FromResult<Result>(Error.Invalid("limit", "A limit is 0 or more, or -1 for unlimited."));
        if (limit > UsageBatchRules.MaxQuantity)
            return Task.FromResult<Result>(Error.Invalid("limit", "That limit is too large; use -1 for unlimited."));
        return ActAsync(actor, tenantId, reason, "operator overriding a tenant's quota", (db, tenant, why, now) =>
        {
            var planLimit = PlanCatalog.For(tenant.Tier).Limit(metric);
            var existing = tenant.QuotaOverrides.SingleOrDefault(o => o.Metric == metric);
            var before = existing is null ? $"plan {Describe(planLimit)}" : $"override {Describe(existing.Limit)}";
            if (existing is null)
                db.QuotaOverrides.Add(existing = new QuotaOverride { TenantId = tenant.Id, Metric = metric });
            existing.Limit = limit;
            existing.Reason = why;
            existing.CreatedAt = now;
            audit.Record(db, tenant.Id, actor, AuditActions.OperatorQuotaOverrideSet, $"quota:{UsageMetrics.Name(metric)}",
                $"{before} → {Describe(limit)} (plan {Describe(planLimit)}); reason: {why}");
            return Task.FromResult(Result.Success());
        }, cancellationToken);
    }

    /// <summary>Removes the tenant's override of a metric: the plan's quota applies again (Operator).</summary>
    public Task<Result> ClearQuotaOverrideAsync(Actor actor, Guid tenantId, UsageMetric metric, string? reason, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(metric))
            return Task.FromResult<Result>(Error.Invalid("metric", "Choose one of the metrics."));
        return ActAsync(actor, tenantId, reason, "operator clearing a tenant's quota override", (db, tenant, why, now) =>
        {
            var existing = tenant.QuotaOverrides.SingleOrDefault(o => o.Metric == metric);
            if (existing is null)
                return Task.FromResult<Result>(Error.Invalid("metric", $"{tenant.Name} has no override of {UsageMetrics.DisplayName(metric)}."));
            db.QuotaOverrides.Remove(existing);
            audit.Record(db, tenant.Id, actor, AuditActions.OperatorQuotaOverrideCleared, $"quota:{UsageMetrics.Name(metric)}",
                $"override {Describe(existing.Limit)} removed, plan {Describe(PlanCatalog.For(tenant.Tier).Limit(metric))} applies; reason: {why}");
            return Task.FromResult(Result.Success());
        }, cancellationToken);
    }

    /// <summary>Sends a tenant's pending invitation again with a new link and a renewed expiry (Operator).</summary>
    /// <param name="actor">The operator.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="invitationId">The pending invitation.</param>
    /// <param name="acceptUrl">The absolute address of <c>/invitations/accept</c>.</param>
    /// <param name="reason">Why; goes into the tenant's audit log.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<Result> ResendInvitationAsync(Actor actor, Guid tenantId, Guid invitationId, Uri acceptUrl, string? reason, CancellationToken cancellationToken)
    {
        var why = OperatorReason.Validate(reason);
        if (!why.IsSuccess)
            return why.Error;
        using var scope = tenantContext.BeginCrossTenantScope("operator resending a tenant's invitation");
        await using var db = contexts.CreateDbContext();
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Forbidden();
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.TenantId == tenantId, cancellationToken);
        if (invitation is null)
            return Error.NotFound("That invitation was not found.");
        if (invitation.Status != InvitationStatus.Pending)
            return Error.Conflict($"That invitation is {invitation.Status.ToString().ToLowerInvariant()}; it can't be sent again.");
        var token = mailer.Reissue(invitation);
        audit.Record(db, tenantId, actor, AuditActions.OperatorInvitationResent, $"invitation:{invitation.Email}",
            $"sent {invitation.SendCount} times; reason: {why.Value}");
        await db.SaveChangesAsync(cancellationToken);
        await mailer.SendAsync(db, invitation, token, actor.Display, acceptUrl, cancellationToken);
        return Result.Success();
    }

    /// <summary>
    /// Creates a tenant on behalf of a customer (Operator): Free tenants are Active, paid tiers start a trial as when
    /// customers sign up themselves. The owner's email decides the owner: an existing user becomes Owner at once, anyone
    /// else is sent an Owner invitation. The operator does not become a member.
    /// </summary>
    public async Task<Result<CreatedTenantForCustomer>> CreateTenantAsync(Actor actor, CreateTenantForCustomerRequest request, Uri acceptUrl,
        string? reason, CancellationToken cancellationToken)
    {
        var input = TenantCreator.Validate(request.Name, request.Slug, request.Tier);
        if (!input.IsSuccess)
            return input.Error;
        var ownerEmail = TenantInput.Email(request.OwnerEmail, "ownerEmail", "Enter the email address of the customer who will own the tenant.");
        if (!ownerEmail.IsSuccess)
            return ownerEmail.Error;
        var email = ownerEmail.Value;
        var why = OperatorReason.Validate(reason);
        if (!why.IsSuccess)
            return why.Error;

        using var scope = tenantContext.BeginCrossTenantScope("operator creating a tenant for a customer");
        await using var db = contexts.CreateDbContext();
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Forbidden();
        var added = await creator.AddAsync(db, input.Value, cancellationToken);
        if (!added.IsSuccess)
            return added.Error;
        var tenant = added.Value;
        var now = tenant.CreatedAt;

        var normalized = email.ToUpperInvariant();
        var ownerId = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);
        Invitation? invitation = null;
        string? token = null;
        if (ownerId is not null)
        {
            db.Members.Add(new TenantMember { TenantId = tenant.Id, UserId = ownerId, Role = TenantRole.Owner, JoinedAt = now });
        }
        else
        {
            invitation = new Invitation { TenantId = tenant.Id, Email = email, Role = TenantRole.Owner, Status = InvitationStatus.Pending, InvitedByUserId = actor.UserId };
            token = mailer.Issue(invitation);
            db.Invitations.Add(invitation);
        }
        audit.Record(db, tenant.Id, actor, AuditActions.OperatorTenantCreated, $"tenant:{tenant.Slug}",
            $"{tenant.Tier}, {tenant.Status}, owner {email} {(invitation is null ? "added" : "invited")}; reason: {why.Value}");
        var saved = await creator.SaveAsync(db, tenant, cancellationToken);
        if (!saved.IsSuccess)
            return saved.Error;
        if (invitation is not null && token is not null)
            await mailer.SendAsync(db, invitation, token, actor.Display, acceptUrl, cancellationToken);
        return new CreatedTenantForCustomer(tenant.Id, tenant.Slug, invitation is not null);
    }

    private async Task<UsageReport> UsageAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        return await scope.ServiceProvider.GetRequiredService<UsageReportService>().CurrentAsync(cancellationToken);
    }

    // Checks the reason and the role, loads the tenant (with its overrides), applies the change and saves it with its audit entry.
    private async Task<Result> ActAsync(Actor actor, Guid tenantId, string? reason, string scopeReason,
        Func<PortalDbContext, Tenant, string, DateTimeOffset, Task<Result>> change, CancellationToken cancellationToken)
    {
        var why = OperatorReason.Validate(reason);
        if (!why.IsSuccess)
            return why.Error;
        using var scope = tenantContext.BeginCrossTenantScope(scopeReason);
        await using var db = contexts.CreateDbContext();
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Forbidden();
        var tenant = await db.Tenants.Include(t => t.QuotaOverrides).SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (tenant is null)
            return Error.NotFound("That tenant was not found.");
        var result = await change(db, tenant, why.Value, time.GetUtcNow());
        if (!result.IsSuccess)
            return result;
        tenant.ConcurrencyStamp = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Error(ErrorCodes.ConcurrencyConflict, "The tenant changed meanwhile. Reload and try again.");
        }
        return Result.Success();
    }

    private static string Describe(decimal limit) => limit == PlanCatalog.Unlimited ? "unlimited" : limit.ToString("#,0.######", System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(TenantStatus status, SuspensionReason? reason) => reason is { } r ? $"{status} ({r})" : status.ToString();

    private static Error Forbidden() => Error.Forbidden("Only operators can manage tenants.");

}
