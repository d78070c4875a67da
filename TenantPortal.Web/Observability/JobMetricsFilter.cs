using Hangfire.Server;

namespace TenantPortal.Web.Observability;

/// <summary>Counts every Hangfire job run, and its failures, by job method.</summary>
public sealed class JobMetricsFilter(PortalMetrics metrics) : IServerFilter
{
    /// <inheritdoc />
    public void OnPerforming(PerformingContext context)
    {
    }

    /// <inheritdoc />
    public void OnPerformed(PerformedContext context) =>
        metrics.JobRan($"{context.BackgroundJob.Job.Type.Name}.{context.BackgroundJob.Job.Method.Name}", context.Exception is not null && !context.ExceptionHandled);
}
