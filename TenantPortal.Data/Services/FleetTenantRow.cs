using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services;

/// <summary>A tenant as the operators' fleet list shows it.</summary>
public sealed record FleetTenantRow(Guid Id, string Name, string Slug, SubscriptionTier Tier, TenantStatus Status, int Members, long MrrCents, DateTimeOffset CreatedAt);
