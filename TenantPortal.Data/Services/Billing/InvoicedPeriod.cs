using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Billing;

/// <summary>An invoice as the invoicing job needs it: which period it bills, and its status.</summary>
internal sealed record InvoicedPeriod(Guid Id, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, InvoiceStatus Status);
