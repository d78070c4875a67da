using TenantPortal.Core.Notifications;

namespace TenantPortal.Data.Services.Billing;

/// <summary>A billing message to a tenant's owners: an in-app notice and an email, sent once per <paramref name="Key"/>.</summary>
/// <param name="Key">Deduplication key, e.g. <c>billing:payment_failed:ACME-202610</c>: the same key is never sent twice.</param>
/// <param name="Title">Notice title and email subject.</param>
/// <param name="Message">Notice text and the first paragraph of the email.</param>
/// <param name="Severity">How the notice is shown.</param>
public sealed record BillingNotice(string Key, string Title, string Message, NotificationSeverity Severity);
