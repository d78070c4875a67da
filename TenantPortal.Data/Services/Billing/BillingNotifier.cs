using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// Tells a tenant's owners (and the billing email, when set) about billing: trial ending, payment failed, suspended.
/// Each notice is stored once per owner under its key (a unique index), and the emails go out only after that insert
/// succeeded, so a job or webhook that runs twice never sends twice. A failed email is logged, not retried.
/// </summary>
public sealed class BillingNotifier(IDbContextFactory<PortalDbContext> contexts, IMailSender mail, IPortalAddresses portal, TimeProvider time,
    ILogger<BillingNotifier> logger)
{
    /// <summary>Sends the notice to the tenant's owners; returns the number of emails sent (0 when it was sent before).</summary>
    public async Task<int> NotifyAsync(Tenant tenant, BillingNotice notice, CancellationToken cancellationToken)
    {
        var link = $"/t/{tenant.Slug}/billing";
        List<(string UserId, string? Email)> owners;
        await using (var db = contexts.CreateDbContext())
        {
            // Only the owners of the tenant selected by its id: a job or webhook may work with no tenant set.
            using (db.BeginCrossTenantScope("billing notice: the owners of the tenant selected by its id"))
                owners = (await (
                    from member in db.Members
                    where member.TenantId == tenant.Id && member.Role == TenantRole.Owner
                    join user in db.Users on member.UserId equals user.Id
                    orderby user.Email
                    select new { user.Id, user.Email }).ToListAsync(cancellationToken)).Select(o => (o.Id, (string?)o.Email)).ToList();
            if (owners.Count == 0)
                return 0;
            var now = time.GetUtcNow();
            foreach (var owner in owners)
            {
                db.Notifications.Add(new Notification
                {
                    UserId = owner.UserId, TenantId = tenant.Id, Title = notice.Title, Message = notice.Message, Link = link,
                    Severity = notice.Severity, DeduplicationKey = notice.Key, CreatedAt = now,
                });
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
            {
                logger.LogDebug("Billing notice {Key} was sent before", notice.Key);
                return 0;
            }
        }

        var addresses = owners.Select(o => o.Email).Append(tenant.BillingEmail)
            .Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        // The in-app notice links within the portal; an email needs the whole address, the portal's public one.
        var billingPage = portal.Link(link).AbsoluteUri;
        var text = $"{notice.Message}\n\nOpen the billing page of {tenant.Name} in TenantPortal: {billingPage}\n\n" +
                   "You receive this because you are an owner or the billing contact of the tenant.\n";
        var html = $"<p>{WebUtility.HtmlEncode(notice.Message)}</p><p>Open the billing page of {WebUtility.HtmlEncode(tenant.Name)}: " +
                   $"<a href=\"{WebUtility.HtmlEncode(billingPage)}\">{WebUtility.HtmlEncode(billingPage)}</a></p><p>You receive this because you are an owner or the billing contact of the tenant.</p>";
        var sent = 0;
        foreach (var address in addresses)
        {
            try
            {
                await mail.SendAsync(new OutgoingEmail(address, $"{tenant.Name}: {notice.Title}", text, html), cancellationToken);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Billing notice {Key} could not be emailed to {Email}", notice.Key, address);
            }
        }
        return sent;
    }
}
