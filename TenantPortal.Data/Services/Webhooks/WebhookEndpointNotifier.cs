using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Webhooks;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>Tells a tenant's owners and admins that an endpoint was disabled: an in-app notice (added to the caller's save) and an email.</summary>
public sealed class WebhookEndpointNotifier(IMailSender mail, IPortalAddresses addresses, ILogger<WebhookEndpointNotifier> logger)
{
    /// <summary>Adds the notices to <paramref name="db"/> and emails the admins (a failed email is logged, the notice stays).</summary>
    public async Task TellAdminsAsync(PortalDbContext db, WebhookEndpoint endpoint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var slug = await db.Tenants.Where(t => t.Id == endpoint.TenantId).Select(t => t.Slug).SingleOrDefaultAsync(cancellationToken) ?? "";
        var recipients = await db.Members.Where(m => m.TenantId == endpoint.TenantId && (m.Role == TenantRole.Owner || m.Role == TenantRole.Admin))
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.Email }).ToListAsync(cancellationToken);
        var path = $"/t/{slug}/settings/webhooks";
        const string title = "Webhook endpoint disabled";
        var message = $"Deliveries to {endpoint.Url} failed for 3 days in a row, so the endpoint was disabled. Fix the endpoint, then enable it again in Settings → Webhooks.";
        foreach (var recipient in recipients)
        {
            db.Notifications.Add(new Notification
            {
                UserId = recipient.Id, TenantId = endpoint.TenantId, Title = title, Message = message, Link = path,
                Severity = NotificationSeverity.Error, DeduplicationKey = $"webhook:disabled:{endpoint.Id}:{now.ToUnixTimeSeconds()}", CreatedAt = now,
            });
            if (recipient.Email is not { Length: > 0 } email)
                continue;
            try
            {
                await mail.SendAsync(new OutgoingEmail(email, title, $"{message}\n\n{addresses.Link(path).AbsoluteUri}"), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not email {Email} that webhook endpoint {EndpointId} was disabled", email, endpoint.Id);
            }
        }
    }
}
