using System.Text.Json;
using System.Text.RegularExpressions;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Webhooks;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>
/// Turns a tenant's audit entry into the webhook events it raises, added to the same context (so saved with the change or
/// not at all): always <c>audit.entry</c> (delivered only to endpoints that opt in), and the entry's own event type when
/// its action maps to one (<see cref="WebhookEventTypes.ForAction"/>). No query: the dispatcher drops what no endpoint wants.
/// The event's <c>data</c> holds the entry (action, actor, target, details) and what the target names (invoice number,
/// member email, quota metric); the dispatcher adds what only the database knows (an invoice's amount and status).
/// </summary>
internal static partial class WebhookOutbox
{
    public static void Add(PortalDbContext db, AuditEntry entry)
    {
        if (entry.TenantId is not { } tenantId)
            return;
        if (WebhookEventTypes.ForAction(entry.Action) is { } type)
            db.WebhookEvents.Add(New(tenantId, type, DataOf(type, entry), entry.OccurredAt));
        db.WebhookEvents.Add(New(tenantId, WebhookEventTypes.AuditEntry, DataOf(WebhookEventTypes.AuditEntry, entry), entry.OccurredAt));
    }

    private static WebhookEvent New(Guid tenantId, string type, string data, DateTimeOffset at) =>
        new() { Id = WebhookEvent.NewId(), TenantId = tenantId, Type = type, Data = data, OccurredAt = at };

    private static string DataOf(string type, AuditEntry entry)
    {
        var data = new Dictionary<string, object?>
        {
            ["action"] = entry.Action,
            ["actor"] = entry.Actor,
            ["target"] = entry.Target,
            ["details"] = entry.Details,
        };
        var target = entry.Target ?? "";
        switch (type)
        {
            case WebhookEventTypes.InvoiceIssued or WebhookEventTypes.InvoicePaid or WebhookEventTypes.InvoicePaymentFailed:
                data["invoiceNumber"] = Strip(target, "invoice:");
                break;
            case WebhookEventTypes.MemberAdded or WebhookEventTypes.MemberRemoved:
                data["email"] = Strip(target, "member:");
                data["role"] = RoleIn(entry.Details);
                break;
            case WebhookEventTypes.QuotaThresholdReached:
                data["metric"] = Strip(target, "quota:");
                data["thresholdPercent"] = PercentIn(entry.Details);
                break;
            case WebhookEventTypes.BudgetThresholdReached:
                data["thresholdPercent"] = PercentIn(entry.Details);
                break;
            case WebhookEventTypes.UsageCorrectionCreated:
                data["correctionId"] = Strip(target, "correction:");
                break;
        }
        return JsonSerializer.Serialize(data, WebhookJson.Options);
    }

    private static string Strip(string target, string prefix) =>
        target.StartsWith(prefix, StringComparison.Ordinal) ? target[prefix.Length..] : target;

    // "joined as Admin, …" / "was Member": the role the member had or got.
    private static string? RoleIn(string? details) =>
        details is not null && RolePattern().Match(details) is { Success: true } m ? m.Groups[1].Value : null;

    // "80 % reached …" / "80 % of the $100.00 budget …": the threshold.
    private static int? PercentIn(string? details) =>
        details is not null && PercentPattern().Match(details) is { Success: true } m && int.TryParse(m.Groups[1].Value, out var p) ? p : null;

    [GeneratedRegex(@"(?:joined as|was) (Owner|Admin|Member|Viewer)\b")]
    private static partial Regex RolePattern();

    [GeneratedRegex(@"^(\d{1,3}) %")]
    private static partial Regex PercentPattern();
}
