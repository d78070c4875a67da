using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Operations;

/// <summary>An invoice of the tenant on its operator detail page.</summary>
/// <param name="Id">Invoice id (for settling it).</param>
/// <param name="Number">Invoice number.</param>
/// <param name="PeriodStart">The billed month.</param>
/// <param name="Status">Draft, open, paid, void or uncollectible.</param>
/// <param name="TotalCents">Total.</param>
/// <param name="IssuedAt">Issue time.</param>
/// <param name="DueAt">Due date.</param>
/// <param name="PaidAt">When paid.</param>
/// <param name="BilledThroughStripe">True when Stripe bills it (it is settled there, not by an operator).</param>
public sealed record OperatorInvoiceRow(Guid Id, string Number, DateTimeOffset PeriodStart, InvoiceStatus Status, long TotalCents,
    DateTimeOffset IssuedAt, DateTimeOffset DueAt, DateTimeOffset? PaidAt, bool BilledThroughStripe);
