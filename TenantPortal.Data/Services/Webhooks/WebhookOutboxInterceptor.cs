using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TenantPortal.Core.Webhooks;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>
/// Nudges the dispatcher after a save that wrote webhook events, so that they go out within seconds rather than at the
/// next minute's <c>webhook-dispatch</c>. A save inside a transaction committed later may nudge before the commit: the
/// dispatcher then finds nothing yet, and the minute's run sends the events.
/// </summary>
public sealed class WebhookOutboxInterceptor(IWebhookJobs jobs) : SaveChangesInterceptor
{
    private static readonly object Marker = new();
    private readonly ConditionalWeakTable<DbContext, object> _writing = [];

    /// <inheritdoc />
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Nudge(eventData.Context);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Nudge(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } context)
            _writing.Remove(context);
    }

    private void Note(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<WebhookEvent>().Any(e => e.State == EntityState.Added))
            _writing.AddOrUpdate(context, Marker);
    }

    private void Nudge(DbContext? context)
    {
        if (context is not null && _writing.Remove(context))
            jobs.NudgeDispatch();
    }
}
