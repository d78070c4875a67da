namespace TenantPortal.Core.Notifications;

/// <summary>
/// An in-app notice for one user (the bell in the app bar). It belongs to the user, not to a tenant:
/// a user sees their own notices of every tenant they belong to; <see cref="TenantId"/> says which one it concerns.
/// </summary>
public class Notification
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>The recipient.</summary>
    public string UserId { get; set; } = "";

    /// <summary>The tenant it concerns, if any (operator notices have none).</summary>
    public Guid? TenantId { get; set; }

    /// <summary>Short title.</summary>
    public string Title { get; set; } = "";

    /// <summary>The message.</summary>
    public string Message { get; set; } = "";

    /// <summary>Where clicking leads, a path inside the portal.</summary>
    public string? Link { get; set; }

    /// <summary>Urgency.</summary>
    public NotificationSeverity Severity { get; set; }

    /// <summary>A key that makes a notice unique per recipient (e.g. a quota alert per metric, period and threshold).</summary>
    public string? DeduplicationKey { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the user read it.</summary>
    public DateTimeOffset? ReadAt { get; set; }
}
