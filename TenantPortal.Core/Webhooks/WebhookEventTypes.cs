using TenantPortal.Core.Audit;

namespace TenantPortal.Core.Webhooks;

/// <summary>The event types a tenant's webhook endpoints can subscribe to, and which audited actions raise them.</summary>
public static class WebhookEventTypes
{
    /// <summary>A quota alert (80, 90 or 100 %) fired.</summary>
    public const string QuotaThresholdReached = "quota.threshold_reached";
    /// <summary>A spend budget alert fired.</summary>
    public const string BudgetThresholdReached = "budget.threshold_reached";
    /// <summary>An invoice was issued.</summary>
    public const string InvoiceIssued = "invoice.issued";
    /// <summary>An invoice was paid.</summary>
    public const string InvoicePaid = "invoice.paid";
    /// <summary>The payment of an invoice failed.</summary>
    public const string InvoicePaymentFailed = "invoice.payment_failed";
    /// <summary>The subscription started, changed plan, was scheduled to change, cancelled or reactivated.</summary>
    public const string SubscriptionChanged = "subscription.changed";
    /// <summary>Someone joined the tenant.</summary>
    public const string MemberAdded = "member.added";
    /// <summary>A member was removed or left.</summary>
    public const string MemberRemoved = "member.removed";
    /// <summary>Reported usage was corrected.</summary>
    public const string UsageCorrectionCreated = "usage.correction.created";
    /// <summary>Every entry of the tenant's audit log (opt-in).</summary>
    public const string AuditEntry = "audit.entry";

    /// <summary>Every type, in the order the portal lists them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        QuotaThresholdReached, BudgetThresholdReached, InvoiceIssued, InvoicePaid, InvoicePaymentFailed, SubscriptionChanged,
        MemberAdded, MemberRemoved, UsageCorrectionCreated, AuditEntry,
    ];

    /// <summary>The types an endpoint gets when none are chosen: all but the opt-in <see cref="AuditEntry"/>.</summary>
    public static readonly IReadOnlyList<string> Default = All.Where(t => t != AuditEntry).ToList();

    /// <summary>True when <paramref name="type"/> is one of <see cref="All"/> (exact, lower case).</summary>
    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);

    /// <summary>The event type an audited action raises besides <see cref="AuditEntry"/>, or null.</summary>
    public static string? ForAction(string action) => action switch
    {
        AuditActions.QuotaAlertFired => QuotaThresholdReached,
        AuditActions.BudgetAlertFired => BudgetThresholdReached,
        AuditActions.InvoiceIssued => InvoiceIssued,
        AuditActions.InvoicePaid => InvoicePaid,
        AuditActions.InvoicePaymentFailed => InvoicePaymentFailed,
        AuditActions.SubscriptionStarted or AuditActions.PlanChanged or AuditActions.PlanChangeScheduled or AuditActions.SubscriptionCancelled
            or AuditActions.SubscriptionReactivated or AuditActions.OperatorTierChanged => SubscriptionChanged,
        AuditActions.MemberAdded or AuditActions.InvitationAccepted => MemberAdded,
        AuditActions.MemberRemoved or AuditActions.MemberLeft => MemberRemoved,
        AuditActions.UsageCorrectionCreated => UsageCorrectionCreated,
        _ => null,
    };

    /// <summary>A label for the UI.</summary>
    public static string Describe(string type) => type switch
    {
        QuotaThresholdReached => "Quota threshold reached",
        BudgetThresholdReached => "Budget threshold reached",
        InvoiceIssued => "Invoice issued",
        InvoicePaid => "Invoice paid",
        InvoicePaymentFailed => "Invoice payment failed",
        SubscriptionChanged => "Subscription changed",
        MemberAdded => "Member added",
        MemberRemoved => "Member removed",
        UsageCorrectionCreated => "Usage correction created",
        AuditEntry => "Every audit log entry",
        _ => type,
    };
}
