using System.Text.Json;
using System.Text.Json.Nodes;
using Stripe;

namespace TenantPortal.Tests.Builders;

/// <summary>Stripe-shaped webhook payloads (API version of Stripe.net unless told) and their signatures.</summary>
public static class StripeEventBuilder
{
    public const string Secret = "whsec_test_tenantportal_0123456789abcdef";

    /// <summary>The <c>Stripe-Signature</c> header for a payload signed at <paramref name="at"/>.</summary>
    public static string Sign(string payload, DateTimeOffset at, string secret = Secret) =>
        EventUtility.GenerateSignatureHeader(payload, secret, at.ToUnixTimeSeconds());

    public static string Event(string id, string type, DateTimeOffset created, JsonObject data, string? apiVersion = null) =>
        new JsonObject
        {
            ["id"] = id,
            ["object"] = "event",
            ["api_version"] = apiVersion ?? StripeConfiguration.ApiVersion,
            ["created"] = created.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
            ["data"] = new JsonObject { ["object"] = data },
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    public static JsonObject Subscription(string id, string customer, string status, string lookupKey, DateTimeOffset startDate,
        DateTimeOffset periodEnd, Guid? tenantId = null, bool cancelAtPeriodEnd = false, DateTimeOffset? endedAt = null) =>
        new()
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["customer"] = customer,
            ["status"] = status,
            ["start_date"] = startDate.ToUnixTimeSeconds(),
            ["cancel_at_period_end"] = cancelAtPeriodEnd,
            ["ended_at"] = endedAt?.ToUnixTimeSeconds(),
            ["canceled_at"] = endedAt?.ToUnixTimeSeconds(),
            ["metadata"] = Metadata(("tenant_id", tenantId?.ToString())),
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = $"si_{id}",
                    ["object"] = "subscription_item",
                    ["current_period_start"] = startDate.ToUnixTimeSeconds(),
                    ["current_period_end"] = periodEnd.ToUnixTimeSeconds(),
                    ["price"] = new JsonObject { ["id"] = $"price_{lookupKey}", ["object"] = "price", ["lookup_key"] = lookupKey },
                }),
            },
        };

    public static JsonObject CheckoutSession(string id, string customer, string subscription, Guid? tenantId, string tier = "professional", string cycle = "monthly") =>
        new()
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["mode"] = "subscription",
            ["status"] = "complete",
            ["payment_status"] = "paid",
            ["customer"] = customer,
            ["subscription"] = subscription,
            ["client_reference_id"] = tenantId?.ToString(),
            ["metadata"] = Metadata(("tenant_id", tenantId?.ToString()), ("tier", tier), ("cycle", cycle)),
        };

    public static JsonObject Invoice(string id, string customer, string status, long amountDue = 4900, Guid? localInvoiceId = null,
        string? subscription = null, DateTimeOffset? paidAt = null, Guid? subscriptionTenantId = null) =>
        new()
        {
            ["id"] = id,
            ["object"] = "invoice",
            ["customer"] = customer,
            ["status"] = status,
            ["number"] = $"NR-{id}",
            ["currency"] = "usd",
            ["amount_due"] = amountDue,
            ["hosted_invoice_url"] = $"https://invoice.stripe.test/{id}",
            ["metadata"] = Metadata(("tenantportal_invoice_id", localInvoiceId?.ToString())),
            ["parent"] = subscription is null ? null : new JsonObject
            {
                ["type"] = "subscription_details",
                // Stripe copies the subscription's metadata (the portal's tenant id) onto its invoices.
                ["subscription_details"] = new JsonObject { ["subscription"] = subscription, ["metadata"] = Metadata(("tenant_id", subscriptionTenantId?.ToString())) },
            },
            ["status_transitions"] = new JsonObject { ["paid_at"] = paidAt?.ToUnixTimeSeconds() },
        };

    private static JsonObject Metadata(params (string Key, string? Value)[] entries)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in entries)
        {
            if (value is not null)
                metadata[key] = value;
        }
        return metadata;
    }
}
