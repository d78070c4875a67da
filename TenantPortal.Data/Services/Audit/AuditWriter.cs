using TenantPortal.Core.Audit;

namespace TenantPortal.Data.Services.Audit;

/// <summary>Adds audit entries to the context of the change they record, so that both are saved together or not at all.</summary>
public sealed class AuditWriter(TimeProvider time)
{
    /// <summary>Records an action by a user.</summary>
    public void Record(PortalDbContext db, Guid? tenantId, Actor actor, string action, string? target, string? details = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            TenantId = tenantId,
            ActorUserId = actor.UserId,
            Actor = actor.Display,
            Action = action,
            Target = Truncate(target),
            Details = details is { Length: > Core.Common.FieldLengths.LongText } ? details[..Core.Common.FieldLengths.LongText] : details,
            OccurredAt = time.GetUtcNow(),
            IpAddress = actor.IpAddress,
        });

    private static string? Truncate(string? target) =>
        target is { Length: > Core.Common.FieldLengths.ShortText } ? target[..Core.Common.FieldLengths.ShortText] : target;
}
