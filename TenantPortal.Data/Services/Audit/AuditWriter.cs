using TenantPortal.Core.Audit;

namespace TenantPortal.Data.Services.Audit;

/// <summary>
/// Adds audit entries to the context of the change they record, so that both are saved together or not at all, with the
/// webhook events a tenant's entry raises (the outbox the webhook dispatcher reads).
/// </summary>
public sealed class AuditWriter(TimeProvider time)
{
    /// <summary>How the portal itself (jobs, webhooks) appears in the audit log.</summary>
    public const string SystemActor = "system";

    /// <summary>Records an action by a user.</summary>
    public void Record(PortalDbContext db, Guid? tenantId, Actor actor, string action, string? target, string? details = null) =>
        Add(db, tenantId, actor.UserId, actor.Display, actor.IpAddress, action, target, details);

    /// <summary>Records an action by the portal itself (a job or a webhook): no user, no address.</summary>
    public void RecordSystem(PortalDbContext db, Guid? tenantId, string action, string? target, string? details = null) =>
        Add(db, tenantId, null, SystemActor, null, action, target, details);

    // The entry's webhook events go into the same context: saved with the change, or not at all.
    private void Add(PortalDbContext db, Guid? tenantId, string? userId, string actor, string? ip, string action, string? target, string? details)
    {
        var entry = new AuditEntry
        {
            TenantId = tenantId,
            ActorUserId = userId,
            Actor = actor,
            Action = action,
            Target = Truncate(target),
            Details = details is { Length: > Core.Common.FieldLengths.LongText } ? details[..Core.Common.FieldLengths.LongText] : details,
            OccurredAt = time.GetUtcNow(),
            IpAddress = ip,
        };
        db.AuditEntries.Add(entry);
        Webhooks.WebhookOutbox.Add(db, entry);
    }

    private static string? Truncate(string? target) =>
        target is { Length: > Core.Common.FieldLengths.ShortText } ? target[..Core.Common.FieldLengths.ShortText] : target;
}
