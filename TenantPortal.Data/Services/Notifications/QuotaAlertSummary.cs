namespace TenantPortal.Data.Services.Notifications;

/// <summary>What one quota-alert run did.</summary>
/// <param name="Tenants">Tenants checked.</param>
/// <param name="AlertsFired">Thresholds fired (one per metric, period and threshold).</param>
/// <param name="NoticesCreated">In-app notices created (one per alert and recipient).</param>
/// <param name="EmailsSent">Emails handed to the mail sender.</param>
public sealed record QuotaAlertSummary(int Tenants, int AlertsFired, int NoticesCreated, int EmailsSent)
{
    /// <summary>Nothing done.</summary>
    public static readonly QuotaAlertSummary None = new(0, 0, 0, 0);

    /// <summary>Adds two summaries.</summary>
    public static QuotaAlertSummary operator +(QuotaAlertSummary a, QuotaAlertSummary b) =>
        new(a.Tenants + b.Tenants, a.AlertsFired + b.AlertsFired, a.NoticesCreated + b.NoticesCreated, a.EmailsSent + b.EmailsSent);
}
