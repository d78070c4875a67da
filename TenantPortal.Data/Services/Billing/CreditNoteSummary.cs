namespace TenantPortal.Data.Services.Billing;

/// <summary>What a settlement did: credit notes stored, issued through the gateway, and left pending by a provider failure (retried).</summary>
/// <param name="Created">Credit notes stored.</param>
/// <param name="Issued">Credit notes the gateway carried out.</param>
/// <param name="Pending">Credit notes the gateway could not carry out; the next settlement retries them.</param>
/// <param name="CreditedCents">The total of the credit notes stored.</param>
public sealed record CreditNoteSummary(int Created, int Issued, int Pending, long CreditedCents)
{
    /// <summary>Nothing done.</summary>
    public static CreditNoteSummary None { get; } = new(0, 0, 0, 0);

    /// <summary>Sum of two summaries.</summary>
    public static CreditNoteSummary operator +(CreditNoteSummary a, CreditNoteSummary b) =>
        new(a.Created + b.Created, a.Issued + b.Issued, a.Pending + b.Pending, a.CreditedCents + b.CreditedCents);
}
