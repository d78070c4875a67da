using Hangfire.Server;
using TenantPortal.Data.Services.Notifications;

namespace TenantPortal.Web.Operations;

/// <summary>
/// Tells the operators when a Hangfire job fails: every failed run (also one that will be retried) creates an in-app
/// notice for each operator, linking to <c>/ops/jobs</c>. The notice is keyed by job and day, so a job failing every
/// minute, or a retry storm, makes one notice per operator and day.
/// </summary>
public sealed class JobFailureNoticeFilter(IServiceScopeFactory scopes, ILogger<JobFailureNoticeFilter> logger) : IServerFilter
{
    /// <inheritdoc />
    public void OnPerforming(PerformingContext context)
    {
    }

    /// <inheritdoc />
    public void OnPerformed(PerformedContext context)
    {
        if (context.Exception is null || context.ExceptionHandled || context.Exception is OperationCanceledException && context.CancellationToken.ShutdownToken.IsCancellationRequested)
            return;
        var job = context.GetJobParameter<string>(JobMonitor.RecurringJobIdParameter)
                  ?? $"{context.BackgroundJob.Job.Type.Name}.{context.BackgroundJob.Job.Method.Name}";
        var exception = context.Exception is Hangfire.Server.JobPerformanceException { InnerException: { } inner } ? inner : context.Exception;
        try
        {
            using var scope = scopes.CreateScope();
            scope.ServiceProvider.GetRequiredService<OperatorNoticeService>()
                .JobFailedAsync(job, $"{exception.GetType().Name}: {exception.Message} (job {context.BackgroundJob.Id})", CancellationToken.None)
                .GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            // A notice that can't be written must not change how the job ends; the failure is in Hangfire either way.
            logger.LogWarning(ex, "Could not notify the operators that job {Job} failed", job);
        }
    }
}
