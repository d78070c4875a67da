using TenantPortal.Core.Tenants;

namespace TenantPortal.Core.Billing;

/// <summary>One base-price line of a period: a plan's price for (part of) the period, or the credit of an annual term ended early.</summary>
/// <param name="Kind"><see cref="InvoiceLineKind.Base"/> for a charge, <see cref="InvoiceLineKind.Adjustment"/> for a credit.</param>
/// <param name="Tier">The plan.</param>
/// <param name="Cycle">The cycle.</param>
/// <param name="From">Start of the time charged (or credited).</param>
/// <param name="To">End of the time charged (or credited).</param>
/// <param name="Fraction">The share of the full price, e.g. 0.5 for half a month.</param>
/// <param name="AmountCents">Amount rounded once to the cent; negative for a credit.</param>
/// <param name="Description">Text of the invoice line.</param>
public sealed record BaseCharge(InvoiceLineKind Kind, SubscriptionTier Tier, BillingCycle Cycle, DateTimeOffset From, DateTimeOffset To,
    decimal Fraction, long AmountCents, string Description);
