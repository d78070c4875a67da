using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Stripe;
using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>
/// Facts the inbox remembers for order independence: whether Stripe has told us that an invoice was paid, or that a
/// tenant paid after a given time, whatever order the events arrived in.
/// </summary>
internal static class StripeInboxFacts
{
    // Stripe's clock and ours differ a little; no event is received long before Stripe created it.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    /// <summary>True when an <c>invoice.paid</c> event of the invoice is in the inbox (other than <paramref name="exceptInboxId"/>).</summary>
    public static async Task<bool> InvoicePaidAsync(PortalDbContext db, string stripeInvoiceId, Guid exceptInboxId, CancellationToken cancellationToken)
    {
        var payloads = await db.StripeWebhookEvents.AsNoTracking()
            .Where(e => e.Id != exceptInboxId && e.Type == EventTypes.InvoicePaid && e.Payload.Contains(stripeInvoiceId))
            .Select(e => e.Payload)
            .ToListAsync(cancellationToken);
        return payloads.Any(p => Read(p).ObjectId == stripeInvoiceId);
    }

    /// <summary>
    /// True when an <c>invoice.paid</c> event of the tenant created after <paramref name="since"/> is in the inbox. Events of the
    /// same second are not ordered by this: Stripe follows a payment with a subscription update of its own.
    /// </summary>
    public static async Task<bool> TenantPaidAfterAsync(PortalDbContext db, Guid tenantId, DateTimeOffset since, Guid exceptInboxId, CancellationToken cancellationToken)
    {
        var receivedFrom = since - ClockSkew;
        var payloads = await db.StripeWebhookEvents.AsNoTracking()
            .Where(e => e.Id != exceptInboxId && e.Type == EventTypes.InvoicePaid && e.TenantId == tenantId && e.ReceivedAt >= receivedFrom)
            .Select(e => e.Payload)
            .ToListAsync(cancellationToken);
        return payloads.Any(p => Read(p).Created > since);
    }

    /// <summary>
    /// True when an event about the subscription was applied to the tenant before (other than
    /// <paramref name="exceptInboxId"/>): the subscription is one of the tenant's, current or past.
    /// </summary>
    public static async Task<bool> SubscriptionKnownAsync(PortalDbContext db, Guid tenantId, string subscriptionId, Guid exceptInboxId,
        CancellationToken cancellationToken) =>
        await db.StripeWebhookEvents.AsNoTracking().AnyAsync(e => e.Id != exceptInboxId && e.TenantId == tenantId
            && e.Outcome == WebhookOutcome.Processed && e.Payload.Contains("\"" + subscriptionId + "\""), cancellationToken);

    private static (string? ObjectId, DateTimeOffset Created) Read(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        var created = root.TryGetProperty("created", out var c) && c.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;
        var id = root.TryGetProperty("data", out var data) && data.TryGetProperty("object", out var obj) && obj.TryGetProperty("id", out var idElement)
            ? idElement.GetString()
            : null;
        return (id, created);
    }
}
