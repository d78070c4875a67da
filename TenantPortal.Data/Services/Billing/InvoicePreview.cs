namespace TenantPortal.Data.Services.Billing;

/// <summary>The invoice of the running period as it stands: base, overage and adjustments so far.</summary>
/// <param name="PeriodStart">First instant of the period.</param>
/// <param name="PeriodEnd">First instant after it.</param>
/// <param name="Lines">Its lines.</param>
/// <param name="TotalCents">Their sum.</param>
public sealed record InvoicePreview(DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, IReadOnlyList<InvoiceLineRow> Lines, long TotalCents);
