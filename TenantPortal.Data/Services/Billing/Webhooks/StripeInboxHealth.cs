namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>What the operators' inbox banner warns about.</summary>
/// <param name="Failed">Events whose last processing failed.</param>
/// <param name="UnexpectedApiVersions">API versions other than Stripe.net's, of events received lately, with their counts.</param>
/// <param name="ExpectedApiVersion">The API version Stripe.net expects.</param>
public sealed record StripeInboxHealth(int Failed, IReadOnlyDictionary<string, int> UnexpectedApiVersions, string ExpectedApiVersion)
{
    /// <summary>Whether there is anything to warn about.</summary>
    public bool NeedsAttention => Failed > 0 || UnexpectedApiVersions.Count > 0;
}
