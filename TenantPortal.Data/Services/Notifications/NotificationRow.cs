using TenantPortal.Core.Notifications;

namespace TenantPortal.Data.Services.Notifications;

/// <summary>One in-app notice as the bell lists it.</summary>
/// <param name="Id">The notice's id (to mark it read).</param>
/// <param name="TenantId">The tenant it concerns, if any.</param>
/// <param name="Title">Short title.</param>
/// <param name="Message">The message.</param>
/// <param name="Link">Where clicking leads, a path inside the portal.</param>
/// <param name="Severity">Urgency.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ReadAt">When the user read it; null while unread.</param>
public sealed record NotificationRow(Guid Id, Guid? TenantId, string Title, string Message, string? Link, NotificationSeverity Severity,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadAt)
{
    /// <summary>True once the user has read it.</summary>
    public bool IsRead => ReadAt is not null;
}
