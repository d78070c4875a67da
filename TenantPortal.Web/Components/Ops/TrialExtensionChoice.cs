namespace TenantPortal.Web.Components.Ops;

/// <summary>What an operator chose in <see cref="ExtendTrialDialog"/>.</summary>
/// <param name="Days">Days to add to the trial.</param>
/// <param name="Reason">Why; goes into the tenant's audit log.</param>
public sealed record TrialExtensionChoice(int Days, string Reason);
