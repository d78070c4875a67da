using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Quotas;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services.Notifications;

/// <summary>
/// "Ask an owner" on the quota banner: a member who may not change the plan asks the tenant's Owners to, by an in-app
/// notice to each Owner (the bell, linking to the plan change on Billing). At most once per member, quota (or
/// suspension) and period: the notices of one ask share a deduplication key, and the unique (UserId, DeduplicationKey)
/// index settles a double click or two tabs. Only a quota at or past the first alert threshold, or a suspension, can be
/// asked about, so the button can't be used to send owners arbitrary notices.
/// </summary>
/// <remarks>
/// In-app rather than a <c>mailto:</c> of the owners: the owners' addresses stay private to those who may see the team,
/// the notice lands where the owner acts (one click to the plan change), and it can be limited server-side.
/// </remarks>
public sealed class OwnerAskService(
    IDbContextFactory<PortalDbContext> contexts,
    UsageReportService reports,
    TimeProvider time,
    ILogger<OwnerAskService> logger)
{
    /// <summary>The key of one member's ask about one quota (or the suspension) in one period.</summary>
    public static string DeduplicationKey(Guid tenantId, UsageMetric? metric, DateTimeOffset periodStart, string userId) =>
        string.Create(CultureInfo.InvariantCulture,
            $"ask-owner:{tenantId:N}:{(metric is { } m ? UsageMetrics.Name(m) : "suspended")}:{periodStart:yyyy-MM}:{userId}");

    /// <summary>When the member asked about the quota (or the suspension, for a null metric) this period; null when not yet.</summary>
    public async Task<Result<DateTimeOffset?>> AskedAtAsync(Actor actor, UsageMetric? metric, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewUsage, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var key = DeduplicationKey(gate.Value.TenantId, metric, PeriodMath.MonthStart(time.GetUtcNow()), actor.UserId);
        var asked = await db.Notifications.AsNoTracking().Where(n => n.DeduplicationKey == key).Select(n => n.CreatedAt).ToListAsync(cancellationToken);
        return Result<DateTimeOffset?>.Ok(asked.Count == 0 ? null : asked.Min());
    }

    /// <summary>
    /// Asks the Owners to upgrade because of <paramref name="metric"/> (at 80 % of its quota or more), or to sort out the
    /// suspension (a null metric). An Owner is told to change the plan themselves; asking twice is answered with the first
    /// ask's time and notifies no one again.
    /// </summary>
    public async Task<Result<OwnerAsk>> AskAsync(Actor actor, UsageMetric? metric, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewUsage, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        if (RolePolicy.Allows(gate.Value.Role, TenantPermission.ManageSubscription))
            return Error.Invalid("role", "You are an Owner: change the plan on Billing yourself.");
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == gate.Value.TenantId, cancellationToken);
        var report = await reports.CurrentAsync(cancellationToken);
        var (title, message) = metric is { } m ? DescribeQuota(tenant, report, m, actor) : DescribeSuspension(tenant, actor, time.GetUtcNow());
        if (title is null)
        {
            return metric is { } below
                ? Error.Invalid("metric", $"{UsageMetrics.DisplayName(below)} is below {QuotaCalculator.AlertThresholds[0]} % of its quota: there is nothing to ask an owner about.")
                : Error.Invalid("metric", "The workspace is not suspended: there is nothing to ask an owner about.");
        }

        var key = DeduplicationKey(tenant.Id, metric, report.PeriodStart, actor.UserId);
        var earlier = await db.Notifications.AsNoTracking().Where(n => n.DeduplicationKey == key).Select(n => n.CreatedAt).ToListAsync(cancellationToken);
        if (earlier.Count > 0)
            return new OwnerAsk(earlier.Min(), 0, AlreadyAsked: true);

        var owners = await db.Members.AsNoTracking().Where(x => x.Role == TenantRole.Owner).Select(x => x.UserId).ToListAsync(cancellationToken);
        if (owners.Count == 0)
            return Error.Invalid("owners", "The workspace has no owner to ask; contact support.");
        var now = time.GetUtcNow();
        foreach (var owner in owners)
        {
            db.Notifications.Add(new Notification
            {
                UserId = owner, TenantId = tenant.Id, Title = title, Message = message!, Link = $"/t/{tenant.Slug}/billing?change=plan",
                Severity = NotificationSeverity.Warning, DeduplicationKey = key, CreatedAt = now,
            });
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // The same member asked at the same moment from elsewhere (two tabs, a double click): that ask stands.
            logger.LogDebug("Ask {Key} was stored by a concurrent request", key);
            return new OwnerAsk(now, 0, AlreadyAsked: true);
        }
        logger.LogInformation("Member {UserId} asked {Owners} owners of {Tenant} about {Subject}", actor.UserId, owners.Count, tenant.Slug,
            metric is { } named ? UsageMetrics.Name(named) : "the suspension");
        return new OwnerAsk(now, owners.Count, AlreadyAsked: false);
    }

    private static (string? Title, string? Message) DescribeQuota(Tenant tenant, UsageReport report, UsageMetric metric, Actor actor)
    {
        var m = report.Metrics.Single(x => x.Metric == metric);
        if (QuotaCalculator.HighestThresholdReached(m.Percentage) is null)
            return (null, null);
        var name = UsageMetrics.DisplayName(metric);
        var title = $"{actor.Display} asks for more {name.ToLowerInvariant()}";
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{actor.Display} asks you to upgrade the plan of {tenant.Name}: {name} is at {m.Percentage:0.#} % of the {tenant.Tier} plan's " +
            $"{m.Limit:#,0.##} {UsageMetrics.Unit(metric)} this period.");
        return (title, message);
    }

    private static (string? Title, string? Message) DescribeSuspension(Tenant tenant, Actor actor, DateTimeOffset now) =>
        tenant.Status != TenantStatus.Suspended && !tenant.IsTrialExpired(now)
            ? (null, null)
            : ($"{actor.Display} asks you to restore {tenant.Name}",
                $"{actor.Display} asks you to sort out the suspension of {tenant.Name}: its requests are refused until then.");
}
