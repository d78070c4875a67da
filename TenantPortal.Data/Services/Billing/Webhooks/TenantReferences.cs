namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>What a Stripe object says about its tenant: the portal's own tenant id (metadata or client reference) and Stripe's ids.</summary>
internal sealed record TenantReferences(Guid? TenantId, string? CustomerId, string? SubscriptionId)
{
    public static Guid? ParseId(string? value) => Guid.TryParse(value, out var id) ? id : null;

    public static Guid? ParseId(IDictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) ? ParseId(value) : null;
}
