using TenantPortal.Core.Common;

namespace TenantPortal.Core.Webhooks;

/// <summary>
/// An event for the tenant's endpoints, written with the audit entry it comes from (the outbox): it exists if and only if
/// the change it tells of was saved. The dispatcher completes its body (<see cref="Payload"/>) and makes its deliveries.
/// </summary>
public class WebhookEvent : ITenantOwned
{
    /// <summary>Length of an id: <c>evt_</c> and 24 characters.</summary>
    public const int IdLength = 28;

    /// <summary>The id receivers dedupe by: <c>evt_…</c>, unique.</summary>
    public string Id { get; set; } = "";

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>One of <see cref="WebhookEventTypes.All"/>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The event's <c>data</c> object as JSON, from the audit entry.</summary>
    public string Data { get; set; } = "{}";

    /// <summary>The body every delivery sends, fixed by the dispatcher; null until dispatched.</summary>
    public string? Payload { get; set; }

    /// <summary>When the change happened.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>When the dispatcher made its deliveries; null until then.</summary>
    public DateTimeOffset? DispatchedAt { get; set; }

    /// <summary>A new random event id.</summary>
    public static string NewId() => "evt_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
}
