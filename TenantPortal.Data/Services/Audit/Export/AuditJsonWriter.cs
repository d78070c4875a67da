using System.Text.Json;

namespace TenantPortal.Data.Services.Audit.Export;

/// <summary>
/// The audit log as one JSON array of objects with the fields of <c>GET /api/v1/audit</c>'s items (camelCase: id,
/// occurredAt, actor, actorUserId, action, target, details, ipAddress; absent values as null), preceded by tenantSlug
/// in the fleet's log. Text is escaped as the default encoder does (HTML-sensitive and non-ASCII characters as \u escapes): valid
/// JSON, never markup. Written with <see cref="Utf8JsonWriter"/>, whose buffer is sent on at each batch.
/// </summary>
internal sealed class AuditJsonWriter(Stream output, bool withTenant) : AuditExportWriter
{
    private readonly Utf8JsonWriter _json = new(output);

    public override void WriteStart() => _json.WriteStartArray();

    public override void Write(FleetAuditRow row)
    {
        var e = row.Entry;
        _json.WriteStartObject();
        if (withTenant)
            _json.WriteString("tenantSlug", row.TenantSlug);
        _json.WriteNumber("id", e.Id);
        _json.WriteString("occurredAt", e.OccurredAt);
        _json.WriteString("actor", e.Actor);
        _json.WriteString("actorUserId", e.ActorUserId);
        _json.WriteString("action", e.Action);
        _json.WriteString("target", e.Target);
        _json.WriteString("details", e.Details);
        _json.WriteString("ipAddress", e.IpAddress);
        _json.WriteEndObject();
    }

    public override void WriteEnd() => _json.WriteEndArray();

    public override Task FlushAsync(CancellationToken cancellationToken) => _json.FlushAsync(cancellationToken);

    public override ValueTask DisposeAsync() => _json.DisposeAsync();
}
