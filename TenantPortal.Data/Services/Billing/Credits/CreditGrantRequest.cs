namespace TenantPortal.Data.Services.Billing.Credits;

/// <summary>An operator's grant.</summary>
/// <param name="Source"><c>promotional</c> or <c>operator</c> (purchases come from owners).</param>
/// <param name="AmountCents">Cents, 1 to $100,000.</param>
/// <param name="Priority">0–1000, lower used first; null for the source's default.</param>
/// <param name="ExpiresAt">Optional expiry (UTC, in the future).</param>
/// <param name="Reason">Why; required, into the audit log.</param>
public sealed record CreditGrantRequest(string? Source, long AmountCents, int? Priority, DateTimeOffset? ExpiresAt, string? Reason);
