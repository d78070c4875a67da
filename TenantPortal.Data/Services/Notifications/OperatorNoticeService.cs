using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Notifications;
using TenantPortal.Data.Services.Operations;

namespace TenantPortal.Data.Services.Notifications;

/// <summary>
/// In-app notices to every operator about the fleet itself, such as a failed background job. Each notice has a
/// deduplication key, so a notice repeated (a retry storm, a job failing every minute) reaches each operator once.
/// </summary>
public sealed class OperatorNoticeService(IDbContextFactory<PortalDbContext> contexts, TimeProvider time, ILogger<OperatorNoticeService> logger)
{
    /// <summary>Where a job failure notice leads.</summary>
    public const string JobsLink = "/ops/jobs";

    /// <summary>The key of the failure notice of a job on a day (UTC): one notice per job and day.</summary>
    public static string JobFailedKey(string job, DateTimeOffset at) => $"job-failed:{job}:{at.UtcDateTime:yyyy-MM-dd}";

    /// <summary>Tells every operator that <paramref name="job"/> failed; returns how many notices were created.</summary>
    public async Task<int> JobFailedAsync(string job, string message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(job);
        var now = time.GetUtcNow();
        var key = JobFailedKey(job, now);
        await using var db = contexts.CreateDbContext();
        var operators = await OperatorRole.UserIdsAsync(db, cancellationToken);
        var told = await db.Notifications.Where(n => n.DeduplicationKey == key && operators.Contains(n.UserId))
            .Select(n => n.UserId).ToListAsync(cancellationToken);
        var text = message.Length > 500 ? message[..500] + "…" : message;
        var added = 0;
        foreach (var userId in operators.Except(told))
        {
            db.Notifications.Add(new Notification
            {
                UserId = userId, Title = $"Job {job} failed", Message = text, Link = JobsLink,
                Severity = NotificationSeverity.Error, DeduplicationKey = key, CreatedAt = now,
            });
            added++;
        }
        if (added == 0)
            return 0;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return added;
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            logger.LogDebug("The failure notice {Key} was created concurrently", key);
            return 0;
        }
    }
}
