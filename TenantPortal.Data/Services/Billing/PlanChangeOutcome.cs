using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Billing;

/// <summary>What a confirmed plan change did.</summary>
/// <param name="Kind">The kind of change.</param>
/// <param name="EffectiveAt">When it takes (or took) effect.</param>
/// <param name="RedirectUrl">Stripe Checkout's address, when the owner must pay there first; nothing changed locally yet.</param>
/// <param name="Message">A sentence for the owner.</param>
/// <param name="ProrationCents">How much the change added to the running period's invoice (negative for a credit; 0 when nothing was charged yet).</param>
public sealed record PlanChangeOutcome(PlanChangeKind Kind, DateTimeOffset EffectiveAt, string? RedirectUrl, string Message, long ProrationCents = 0);
