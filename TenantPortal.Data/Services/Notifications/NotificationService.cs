using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Services.Notifications;

/// <summary>
/// A user's in-app notices (the bell). Notices belong to a user, not a tenant, so there is no tenant filter to lean on:
/// every query here is restricted to the given user's rows, and the caller passes the signed-in user's id.
/// </summary>
public sealed class NotificationService(IDbContextFactory<PortalDbContext> contexts, TimeProvider time)
{
    /// <summary>Most notices one list returns.</summary>
    public const int MaxTake = 100;

    /// <summary>The user's latest notices, newest first.</summary>
    public async Task<IReadOnlyList<NotificationRow>> ListAsync(string userId, int take, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        await using var db = contexts.CreateDbContext();
        return await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == userId)
            .OrderByDescending(n => n.CreatedAt).ThenBy(n => n.Id)
            .Take(Math.Min(take, MaxTake))
            .Select(n => new NotificationRow(n.Id, n.TenantId, n.Title, n.Message, n.Link, n.Severity, n.CreatedAt, n.ReadAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>How many of the user's notices are unread.</summary>
    public async Task<int> UnreadCountAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        await using var db = contexts.CreateDbContext();
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, cancellationToken);
    }

    /// <summary>Marks one of the user's notices read; another user's notice is not found (and left alone).</summary>
    public async Task<Result> MarkReadAsync(string userId, Guid notificationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        await using var db = contexts.CreateDbContext();
        var now = time.GetUtcNow();
        var updated = await db.Notifications
            .Where(n => n.Id == notificationId && n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, (DateTimeOffset?)now), cancellationToken);
        if (updated > 0 || await db.Notifications.AnyAsync(n => n.Id == notificationId && n.UserId == userId, cancellationToken))
            return Result.Success();
        return Error.NotFound("The notification does not exist.");
    }

    /// <summary>Marks all the user's unread notices read; returns how many were unread.</summary>
    public async Task<int> MarkAllReadAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        await using var db = contexts.CreateDbContext();
        var now = time.GetUtcNow();
        return await db.Notifications
            .Where(n => n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, (DateTimeOffset?)now), cancellationToken);
    }
}
