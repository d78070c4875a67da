namespace TenantPortal.Core.Audit;

/// <summary>
/// One change made in the portal: who did what to which thing, when and from where.
/// Tenant entries carry their tenant; fleet-level operator entries have none.
/// </summary>
public class AuditEntry
{
    /// <summary>Primary key, increasing.</summary>
    public long Id { get; set; }

    /// <summary>The tenant concerned; null for fleet-level actions.</summary>
    public Guid? TenantId { get; set; }

    /// <summary>The acting user id, or null for the system (jobs, webhooks).</summary>
    public string? ActorUserId { get; set; }

    /// <summary>How the actor is shown: an email, "API key tp_live_ab12…", "system".</summary>
    public string Actor { get; set; } = "";

    /// <summary>What happened, a dotted name such as <c>member.role_changed</c> (see <see cref="AuditActions"/>).</summary>
    public string Action { get; set; } = "";

    /// <summary>What it happened to, e.g. <c>member:bob@acme.test</c>.</summary>
    public string? Target { get; set; }

    /// <summary>Details in plain words or JSON.</summary>
    public string? Details { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>The client's IP address, when the action came over HTTP.</summary>
    public string? IpAddress { get; set; }
}
