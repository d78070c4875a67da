using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// One request's batch waiting for the SQLite usage writer: what to insert, and the completion its caller awaits (set
/// to the events stored, or to the error of this batch alone, once the transaction holding it has committed).
/// </summary>
public sealed class PendingUsageBatch(Guid tenantId, IReadOnlyList<UsageEventInput> events, DateTimeOffset receivedAt, CancellationToken cancellationToken)
{
    private readonly TaskCompletionSource<IReadOnlyList<StoredUsageEvent>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The tenant the events belong to.</summary>
    public Guid TenantId { get; } = tenantId;

    /// <summary>The events, distinct by id within the batch.</summary>
    public IReadOnlyList<UsageEventInput> Events { get; } = events;

    /// <summary>When the events were received.</summary>
    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    /// <summary>The caller's token: a batch cancelled before the writer takes it is not written.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Completes with the events this batch stored (duplicates left out).</summary>
    public Task<IReadOnlyList<StoredUsageEvent>> Completion => _completion.Task;

    /// <summary>Answers the caller with the events stored (after the commit).</summary>
    public void Stored(IReadOnlyList<StoredUsageEvent> stored) => _completion.TrySetResult(stored);

    /// <summary>Answers the caller with the error that refused this batch (nothing of it is stored).</summary>
    public void Failed(Exception error) => _completion.TrySetException(error);

    /// <summary>Answers the caller that the batch was cancelled before it was written.</summary>
    public void Cancelled() => _completion.TrySetCanceled(CancellationToken);
}
