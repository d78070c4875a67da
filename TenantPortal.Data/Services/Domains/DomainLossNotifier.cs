using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Common;
using TenantPortal.Core.Domains;
using TenantPortal.Core.Members;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Domains;

/// <summary>
/// Tells a tenant's owners and admins that a domain lost its verification: an in-app notice each, added to the save that
/// un-verifies the domain (one per domain and day: its deduplication key makes a concurrent run's save fail instead of
/// telling twice), then an email each once that save succeeded.
/// </summary>
public sealed class DomainLossNotifier(IMailSender mail, IPortalAddresses portal, ILogger<DomainLossNotifier> logger)
{
    /// <summary>The notices' deduplication key: one per domain claim and UTC day.</summary>
    public static string DeduplicationKey(TenantDomain domain, DateTimeOffset now) => $"domain-unverified:{domain.Id}:{now.UtcDateTime:yyyy-MM-dd}";

    /// <summary>Adds the notices to <paramref name="db"/> (not saved) and returns who gets the email.</summary>
    public async Task<IReadOnlyList<string>> AddNoticesAsync(PortalDbContext db, Tenant tenant, TenantDomain domain, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recipients = await (
            from member in db.Members
            where member.TenantId == tenant.Id && (member.Role == TenantRole.Owner || member.Role == TenantRole.Admin)
            join user in db.Users on member.UserId equals user.Id
            select new { user.Id, user.Email }).ToListAsync(cancellationToken);
        var (title, message) = Describe(tenant, domain);
        foreach (var recipient in recipients)
        {
            db.Notifications.Add(new Notification
            {
                UserId = recipient.Id,
                TenantId = tenant.Id,
                Title = title,
                Message = message,
                Link = Link(tenant),
                Severity = NotificationSeverity.Error,
                DeduplicationKey = DeduplicationKey(domain, now),
                CreatedAt = now,
            });
        }
        return recipients.Where(r => !string.IsNullOrWhiteSpace(r.Email)).Select(r => r.Email!).ToList();
    }

    /// <summary>Emails the recipients (after the notices were saved); a failed send is logged, the notice stays.</summary>
    public async Task<int> EmailAsync(Tenant tenant, TenantDomain domain, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var (title, message) = Describe(tenant, domain);
        var link = portal.Link(Link(tenant)).AbsoluteUri;
        var text = $"{message}\n\nSee the domains of {tenant.Name} in TenantPortal: {link}\n\nYou receive this because you are an owner or admin of the workspace.\n";
        var html = $"<p>{WebUtility.HtmlEncode(message)}</p><p>See the domains of <b>{WebUtility.HtmlEncode(tenant.Name)}</b> in TenantPortal: " +
                   $"<a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(link)}</a></p><p>You receive this because you are an owner or admin of the workspace.</p>";
        var sent = 0;
        foreach (var to in recipients)
        {
            try
            {
                await mail.SendAsync(new OutgoingEmail(to, $"[{tenant.Name}] {title}", text, html), cancellationToken);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "The loss of domain {Domain} could not be emailed to {Email}", domain.Name, to);
            }
        }
        return sent;
    }

    private static (string Title, string Message) Describe(Tenant tenant, TenantDomain domain) =>
        ($"{domain.Name} is no longer verified",
         $"The TXT record {domain.RecordName} of {tenant.Name} was not found on {TenantDomain.FailedChecksBeforeUnverified} daily checks in a row, so " +
         $"{domain.Name} is no longer verified: it no longer opens the workspace and no longer affiliates sign-ups. Put the record " +
         $"{domain.RecordValue} back and choose Verify now in Settings, Domains.");

    private static string Link(Tenant tenant) => $"/t/{tenant.Slug}/settings/domains";
}
