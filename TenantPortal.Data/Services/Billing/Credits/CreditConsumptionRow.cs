namespace TenantPortal.Data.Services.Billing.Credits;

/// <summary>What one grant paid of one invoice.</summary>
/// <param name="InvoiceNumber">The invoice.</param>
/// <param name="GrantId">The grant.</param>
/// <param name="AmountCents">Cents paid.</param>
/// <param name="At">When (the invoice's issue time).</param>
public sealed record CreditConsumptionRow(string InvoiceNumber, Guid GrantId, long AmountCents, DateTimeOffset At);
