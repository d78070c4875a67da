using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services;

/// <summary>An invoice in a list.</summary>
public sealed record InvoiceSummary(string Number, DateTimeOffset PeriodStart, InvoiceStatus Status, long TotalCents, DateTimeOffset IssuedAt);
