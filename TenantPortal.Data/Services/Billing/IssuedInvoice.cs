using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Billing;

/// <summary>What the gateway made of an invoice: its state, and the provider's id and hosted page when there is one.</summary>
public sealed record IssuedInvoice(InvoiceStatus Status, string? ProviderInvoiceId = null, string? HostedUrl = null);
