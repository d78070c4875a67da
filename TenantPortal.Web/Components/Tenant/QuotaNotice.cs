using MudBlazor;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>What the quota banner says: how serious, its headline, one item per quota concerned, and what the owner can do.</summary>
/// <param name="Level">"80", "90" or "100" (the highest alert threshold reached, QuotaCalculator.AlertThresholds), or "suspended".</param>
/// <param name="Severity">The alert's colour.</param>
/// <param name="Title">The headline.</param>
/// <param name="Detail">Why and what to do, at a suspension; null otherwise.</param>
/// <param name="Items">One line per quota at or past the first threshold (none at a suspension).</param>
/// <param name="OwnerAction">The owner's button ("Upgrade", "Choose a plan", "Go to Billing"), or null when an owner can't help.</param>
/// <param name="OwnerLink">Where the owner's button leads.</param>
public sealed record QuotaNotice(string Level, Severity Severity, string Title, string? Detail, IReadOnlyList<QuotaNoticeItem> Items, string? OwnerAction, string? OwnerLink);
