using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services;

/// <summary>What the tenant Overview shows besides usage: plan facts, team size and the latest invoices.</summary>
public sealed record TenantOverview(
    string Name,
    SubscriptionTier Tier,
    TenantStatus Status,
    BillingCycle Cycle,
    DateTimeOffset? TrialEndsAt,
    DateTimeOffset? CurrentPeriodEndsAt,
    int MemberCount,
    IReadOnlyList<InvoiceSummary> RecentInvoices);
