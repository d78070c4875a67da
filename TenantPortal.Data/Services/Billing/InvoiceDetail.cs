using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing;

/// <summary>An invoice with its lines and who it is addressed to (the printable invoice page).</summary>
/// <param name="Invoice">The invoice.</param>
/// <param name="Tier">The plan billed.</param>
/// <param name="TenantName">The customer.</param>
/// <param name="BillingEmail">Where invoices go.</param>
/// <param name="Lines">The lines.</param>
public sealed record InvoiceDetail(InvoiceRow Invoice, SubscriptionTier Tier, string TenantName, string? BillingEmail, IReadOnlyList<InvoiceLineRow> Lines);
