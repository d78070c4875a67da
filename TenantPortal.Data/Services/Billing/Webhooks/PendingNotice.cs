using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>A billing notice to send once the event's changes are committed.</summary>
internal sealed record PendingNotice(Tenant Tenant, BillingNotice Notice);
