using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Stripe;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Operations;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>
/// The Stripe webhook inbox for operators: the events of every tenant, their payloads, and processing a pending or
/// failed one again. Every method checks the Operator role.
/// </summary>
public sealed class StripeInboxService(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext, StripeWebhookService webhooks, TimeProvider time)
{
    /// <summary>Largest page.</summary>
    public const int MaxPageSize = 100;

    /// <summary>How far back an event with an unexpected API version raises the banner.</summary>
    public static readonly TimeSpan ApiVersionWindow = TimeSpan.FromDays(7);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A page of the inbox, newest first, optionally of one outcome (Operator).</summary>
    public async Task<Result<StripeInboxPage>> ListAsync(Actor actor, WebhookOutcome? outcome, int skip, int take, CancellationToken cancellationToken)
    {
        if (skip < 0)
            return Error.Invalid("skip", "skip can't be negative.");
        if (take < 1 || take > MaxPageSize)
            return Error.Invalid("take", $"A page holds 1 to {MaxPageSize} events.");
        using var scope = tenantContext.BeginCrossTenantScope("operators reading the Stripe webhook inbox of every tenant");
        await using var db = contexts.CreateDbContext();
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Forbidden();
        var query = db.StripeWebhookEvents.AsNoTracking();
        if (outcome is { } o)
            query = query.Where(e => e.Outcome == o);
        var total = await query.CountAsync(cancellationToken);
        var rows = await (from e in query.OrderByDescending(e => e.ReceivedAt).ThenBy(e => e.StripeEventId).Skip(skip).Take(take)
                          join t in db.Tenants on e.TenantId equals (Guid?)t.Id into tenants
                          from t in tenants.DefaultIfEmpty()
                          select new StripeInboxRow(e.Id, e.StripeEventId, e.Type, e.ApiVersion, t == null ? null : t.Slug, e.ReceivedAt,
                              e.ProcessedAt, e.Outcome, e.Attempts, e.Error))
            .ToListAsync(cancellationToken);
        return new StripeInboxPage(rows.OrderByDescending(r => r.ReceivedAt).ThenBy(r => r.StripeEventId, StringComparer.Ordinal).ToList(), total);
    }

    /// <summary>The event's payload, pretty-printed when it is JSON (Operator).</summary>
    public async Task<Result<string>> PayloadAsync(Actor actor, Guid inboxId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Forbidden();
        var payload = await db.StripeWebhookEvents.AsNoTracking().Where(e => e.Id == inboxId).Select(e => e.Payload).SingleOrDefaultAsync(cancellationToken);
        if (payload is null)
            return Error.NotFound("There is no such webhook event in the inbox.");
        try
        {
            return JsonNode.Parse(payload)?.ToJsonString(Indented) ?? payload;
        }
        catch (JsonException)
        {
            return payload;
        }
    }

    /// <summary>Failed events, and API versions other than Stripe.net's among the events of the last <see cref="ApiVersionWindow"/> (Operator).</summary>
    public async Task<Result<StripeInboxHealth>> HealthAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Forbidden();
        var failed = await db.StripeWebhookEvents.CountAsync(e => e.Outcome == WebhookOutcome.Failed, cancellationToken);
        var since = time.GetUtcNow() - ApiVersionWindow;
        var expected = StripeConfiguration.ApiVersion;
        var versions = await db.StripeWebhookEvents.AsNoTracking()
            .Where(e => e.ReceivedAt >= since && e.ApiVersion != null && e.ApiVersion != expected)
            .GroupBy(e => e.ApiVersion!)
            .Select(g => new { Version = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return new StripeInboxHealth(failed, versions.ToDictionary(v => v.Version, v => v.Count, StringComparer.Ordinal), expected);
    }

    /// <summary>Processes a pending or failed event again, whatever its attempts (Operator).</summary>
    public async Task<Result<StripeWebhookReceipt>> ProcessAgainAsync(Actor actor, Guid inboxId, CancellationToken cancellationToken)
    {
        await using (var db = contexts.CreateDbContext())
        {
            if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
                return Forbidden();
        }
        return await webhooks.ProcessAgainAsync(inboxId, cancellationToken);
    }

    private static Error Forbidden() => Error.Forbidden("Only operators can see the Stripe webhook inbox.");
}
