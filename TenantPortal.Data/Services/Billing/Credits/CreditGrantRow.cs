using TenantPortal.Core.Billing.Credits;

namespace TenantPortal.Data.Services.Billing.Credits;

/// <summary>A credit grant as shown.</summary>
/// <param name="Id">Grant id.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="AmountCents">Granted.</param>
/// <param name="RemainingCents">Left (zero once revoked).</param>
/// <param name="Priority">Lower first.</param>
/// <param name="ExpiresAt">Expiry, if any.</param>
/// <param name="Reason">Why it was given.</param>
/// <param name="GrantedBy">Who gave it.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="RevokedAt">When the unused part was revoked.</param>
/// <param name="RevokedCents">What the revocation took back.</param>
/// <param name="RevokeReason">Why.</param>
/// <param name="Expired">True when it expired with something left.</param>
public sealed record CreditGrantRow(Guid Id, CreditSource Source, long AmountCents, long RemainingCents, int Priority, DateTimeOffset? ExpiresAt,
    string Reason, string GrantedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, long RevokedCents, string? RevokeReason, bool Expired)
{
    /// <summary>The row of a grant at <paramref name="now"/>.</summary>
    public static CreditGrantRow From(CreditGrant g, DateTimeOffset now) => new(g.Id, g.Source, g.AmountCents, g.RemainingCents, g.Priority, g.ExpiresAt,
        g.Reason, g.GrantedBy, g.CreatedAt, g.RevokedAt, g.RevokedCents, g.RevokeReason, g.IsExpiredAt(now) && g.RemainingCents > 0);

    /// <summary>True when an operator can still revoke its unused part.</summary>
    public bool CanRevoke => RevokedAt is null && RemainingCents > 0;
}
