using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Billing;

/// <summary>What the gateway made of a credit note: how it reached the customer, and the provider's id when there is one.</summary>
public sealed record IssuedCreditNote(CreditNoteSettlement Settlement, string? ProviderCreditNoteId = null);
