using TenantPortal.Data.Services.Entitlements;

namespace TenantPortal.Web.Components.Ops;

/// <summary>What an operator chose in <see cref="EntitlementOverrideDialog"/>.</summary>
/// <param name="Request">The override to set, or null to remove the current one.</param>
/// <param name="Reason">Why; goes into the tenant's audit log.</param>
public sealed record EntitlementOverrideChoice(EntitlementOverrideRequest? Request, string Reason);
