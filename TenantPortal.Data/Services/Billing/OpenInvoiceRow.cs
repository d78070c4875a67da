using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Billing;

/// <summary>A ledger invoice awaiting settlement, in the operators' list.</summary>
/// <param name="Id">Invoice id.</param>
/// <param name="TenantSlug">The tenant's slug.</param>
/// <param name="TenantName">The tenant's name.</param>
/// <param name="Number">Invoice number.</param>
/// <param name="PeriodStart">The billed month.</param>
/// <param name="Status">Open or Draft.</param>
/// <param name="TotalCents">Amount.</param>
/// <param name="DueAt">Due date.</param>
public sealed record OpenInvoiceRow(Guid Id, string TenantSlug, string TenantName, string Number, DateTimeOffset PeriodStart, InvoiceStatus Status,
    long TotalCents, DateTimeOffset DueAt);
