using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Tenants;

/// <summary>A tenant about to be created, its fields checked and normalised (see <see cref="TenantCreator.Validate"/>).</summary>
/// <param name="Name">The display name, trimmed.</param>
/// <param name="Slug">The URL name, trimmed and valid (free or not is checked when it is added).</param>
/// <param name="Tier">The plan: Free is Active at once, a paid tier starts a trial.</param>
public sealed record NewTenant(string Name, string Slug, SubscriptionTier Tier);
