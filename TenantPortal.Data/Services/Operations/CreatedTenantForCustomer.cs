namespace TenantPortal.Data.Services.Operations;

/// <summary>The outcome of creating a tenant for a customer.</summary>
/// <param name="TenantId">The new tenant's id.</param>
/// <param name="Slug">Its slug.</param>
/// <param name="OwnerInvited">True when the owner had no account and was sent an Owner invitation; false when they became Owner at once.</param>
public sealed record CreatedTenantForCustomer(Guid TenantId, string Slug, bool OwnerInvited);
