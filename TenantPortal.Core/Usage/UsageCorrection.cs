using TenantPortal.Core.Common;

namespace TenantPortal.Core.Usage;

/// <summary>
/// A usage correction of one tenant: its own record, never a change to the events it corrects. Its effect on usage is
/// carried by compensating events appended with it (see <see cref="UsageCorrectionRules.CompensatingId"/>); reverting it
/// appends the opposite events. The caller's <see cref="CorrectionId"/> is unique per tenant (idempotency).
/// </summary>
public class UsageCorrection : ITenantOwned
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The caller's id for the correction, unique per tenant.</summary>
    public string CorrectionId { get; set; } = "";

    /// <summary>Why (1–500 characters).</summary>
    public string Reason { get; set; } = "";

    /// <summary>
    /// SHA-256 (hex) of the request's canonical form: the same id sent again with another body is told apart from a retry.
    /// </summary>
    public string RequestHash { get; set; } = "";

    /// <summary>The user who made it (for an API key, the key's creator).</summary>
    public string CreatedByUserId { get; set; } = "";

    /// <summary>The API key it came through, if any.</summary>
    public Guid? CreatedByApiKeyId { get; set; }

    /// <summary>How the actor appears (the audit log's display).</summary>
    public string CreatedBy { get; set; } = "";

    /// <summary>When it was applied.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it was reverted; null while it counts.</summary>
    public DateTimeOffset? RevertedAt { get; private set; }

    /// <summary>Who reverted it.</summary>
    public string? RevertedBy { get; private set; }

    /// <summary>Why it was reverted, when a reason was given.</summary>
    public string? RevertReason { get; private set; }

    /// <summary>Changes on every state change: a revert racing another fails on it instead of reverting twice.</summary>
    public Guid ConcurrencyStamp { get; private set; } = Guid.NewGuid();

    /// <summary>Its lines, one per event.</summary>
    public List<UsageCorrectionLine> Lines { get; set; } = [];

    /// <summary>Whether it still counts.</summary>
    public bool IsActive => RevertedAt is null;

    /// <summary>Reverts the correction: its events count as before. A correction is reverted at most once.</summary>
    public Result Revert(string by, string? reason, DateTimeOffset now)
    {
        if (RevertedAt is not null)
            return Error.Conflict($"Correction '{CorrectionId}' was already reverted on {RevertedAt:yyyy-MM-dd HH:mm} UTC.");
        RevertedAt = now;
        RevertedBy = by;
        RevertReason = reason;
        ConcurrencyStamp = Guid.NewGuid();
        return Result.Success();
    }
}
