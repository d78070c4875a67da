using TenantPortal.Core.Common;

namespace TenantPortal.Core.Billing.Credits;

/// <summary>
/// Prepaid credit given to a tenant: an amount in cents of which <see cref="RemainingCents"/> is left. It owns its rules:
/// it is consumed and revoked only through its own methods, its remainder never goes below zero, and once revoked (the
/// unused part) or expired it pays for nothing more. A purchase through Stripe carries its Checkout session id, unique per
/// tenant, so that a session grants once however often its webhook arrives.
/// </summary>
public class CreditGrant : ITenantOwned
{
    // For EF Core.
    private CreditGrant()
    {
    }

    /// <summary>Primary key.</summary>
    public Guid Id { get; private set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>Where it came from.</summary>
    public CreditSource Source { get; private set; }

    /// <summary>The amount granted, in cents.</summary>
    public long AmountCents { get; private set; }

    /// <summary>What is left, in cents: never negative, never more than <see cref="AmountCents"/>.</summary>
    public long RemainingCents { get; private set; }

    /// <summary>Lower numbers are consumed first; ties go to the grant that expires soonest.</summary>
    public int Priority { get; private set; }

    /// <summary>When what is left stops counting (UTC), or null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>Why it was given.</summary>
    public string Reason { get; private set; } = "";

    /// <summary>Who gave it (an operator's email, the owner who bought it, or Stripe Checkout).</summary>
    public string GrantedBy { get; private set; } = "";

    /// <summary>When it was given; it pays for invoices issued from then on.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The Stripe Checkout session that paid for it, for purchases through Stripe.</summary>
    public string? CheckoutSessionId { get; private set; }

    /// <summary>When the unused part was revoked.</summary>
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Who revoked it.</summary>
    public string? RevokedBy { get; private set; }

    /// <summary>Why it was revoked.</summary>
    public string? RevokeReason { get; private set; }

    /// <summary>The unused part taken back by the revocation, in cents.</summary>
    public long RevokedCents { get; private set; }

    /// <summary>Creates a grant after checking its amount, priority, expiry and reason.</summary>
    public static Result<CreditGrant> Create(Guid tenantId, CreditSource source, long amountCents, int priority, DateTimeOffset? expiresAt,
        string? reason, string grantedBy, DateTimeOffset now, string? checkoutSessionId = null)
    {
        if (!Enum.IsDefined(source))
            return Error.Invalid("source", "Choose the source: purchase, promotional or operator.");
        if (amountCents <= 0)
            return Error.Invalid("amountCents", "The amount must be at least 1 cent.");
        if (amountCents > CreditRules.MaxGrantCents)
            return Error.Invalid("amountCents", $"A grant is at most {Money.Format(CreditRules.MaxGrantCents)}.");
        if (priority < 0 || priority > CreditRules.MaxPriority)
            return Error.Invalid("priority", $"The priority is a whole number from 0 (used first) to {CreditRules.MaxPriority}.");
        if (expiresAt is { } expiry && expiry <= now)
            return Error.Invalid("expiresAt", "The expiry must be in the future.");
        var text = PlainText.Check(reason, "reason", "The reason");
        if (!text.IsSuccess)
            return text.Error;
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length == 0)
            return Error.Invalid("reason", "Give a reason; it goes into the tenant's audit log.");
        if (trimmed.Length > CreditRules.MaxReasonLength)
            return Error.Invalid("reason", $"Keep the reason to {CreditRules.MaxReasonLength} characters.");
        return new CreditGrant
        {
            TenantId = tenantId,
            Source = source,
            AmountCents = amountCents,
            RemainingCents = amountCents,
            Priority = priority,
            ExpiresAt = expiresAt?.ToUniversalTime(),
            Reason = trimmed,
            GrantedBy = grantedBy,
            CreatedAt = now,
            CheckoutSessionId = checkoutSessionId,
        };
    }

    /// <summary>True when it can pay for something at <paramref name="at"/>: given by then, not revoked, not expired, something left.</summary>
    public bool IsUsableAt(DateTimeOffset at) =>
        RevokedAt is null && RemainingCents > 0 && CreatedAt <= at && (ExpiresAt is null || ExpiresAt > at);

    /// <summary>True when it expired (with something left unused) at or before <paramref name="at"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset at) => RevokedAt is null && ExpiresAt is { } expiry && expiry <= at;

    /// <summary>What it contributes to the balance at <paramref name="at"/>.</summary>
    public long AvailableAt(DateTimeOffset at) => IsUsableAt(at) ? RemainingCents : 0;

    /// <summary>Takes <paramref name="cents"/> from what is left, for an invoice issued at <paramref name="at"/>.</summary>
    public Result Consume(long cents, DateTimeOffset at)
    {
        if (cents <= 0)
            return Error.Invalid("amountCents", "Consume at least 1 cent.");
        if (!IsUsableAt(at))
            return Error.Conflict("This credit grant is revoked, expired or used up.");
        if (cents > RemainingCents)
            return Error.Conflict($"This credit grant has {Money.Format(RemainingCents)} left, less than {Money.Format(cents)}.");
        RemainingCents -= cents;
        return Result.Success();
    }

    /// <summary>Revokes the unused part: what is left goes to zero; what invoices consumed stays consumed. Returns the cents taken back.</summary>
    public Result<long> Revoke(string by, string? reason, DateTimeOffset now)
    {
        if (RevokedAt is not null)
            return Error.Conflict("This credit grant was revoked already.");
        if (RemainingCents == 0)
            return Error.Conflict("This credit grant is used up: there is nothing unused to revoke.");
        var text = PlainText.Check(reason, "reason", "The reason");
        if (!text.IsSuccess)
            return text.Error;
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length == 0)
            return Error.Invalid("reason", "Give a reason; it goes into the tenant's audit log.");
        if (trimmed.Length > CreditRules.MaxReasonLength)
            return Error.Invalid("reason", $"Keep the reason to {CreditRules.MaxReasonLength} characters.");
        var taken = RemainingCents;
        RevokedCents = taken;
        RemainingCents = 0;
        RevokedAt = now;
        RevokedBy = by;
        RevokeReason = trimmed;
        return taken;
    }
}
