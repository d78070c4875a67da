using Hangfire;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;

namespace TenantPortal.Web.Operations;

/// <summary>
/// What the operators' jobs page reads from and does to Hangfire: the recurring jobs with their last and next runs,
/// recent failures, and "run now". Reads the injected <see cref="JobStorage"/> (the configured one).
/// </summary>
public sealed class JobMonitor(JobStorage storage, IRecurringJobManagerV2 recurringJobs)
{
    /// <summary>The job parameter Hangfire stores the recurring job id of a run under.</summary>
    public const string RecurringJobIdParameter = "RecurringJobId";

    /// <summary>At most this many failed jobs are read for <see cref="FailedSince"/>.</summary>
    public const int MaxFailedJobs = 50;

    /// <summary>Every recurring job, by id, with the result of its last run.</summary>
    public IReadOnlyList<RecurringJobRow> RecurringJobs()
    {
        List<RecurringJobDto> jobs;
        using (var connection = storage.GetConnection())
            jobs = connection.GetRecurringJobs();
        var monitoring = storage.GetMonitoringApi();
        return jobs.OrderBy(j => j.Id, StringComparer.Ordinal).Select(j =>
        {
            var (result, error) = j.LastJobId is null ? (JobRunResult.None, null) : ResultOf(monitoring, j.LastJobId);
            return new RecurringJobRow(j.Id, j.Cron, CronText.Describe(j.Cron), j.TimeZoneId, Utc(j.LastExecution), j.LastJobId, result, error,
                Utc(j.NextExecution), j.LoadException?.Message ?? j.Error);
        }).ToList();
    }

    /// <summary>Starts a run of the recurring job now; returns the id of the background job, or null when there is no such recurring job.</summary>
    public string? RunNow(string recurringJobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(recurringJobId);
        using (var connection = storage.GetConnection())
        {
            if (!connection.GetRecurringJobs([recurringJobId]).Any(j => !j.Removed))
                return null;
        }
        return recurringJobs.TriggerJob(recurringJobId);
    }

    /// <summary>How a background job ended (or where it is), with the exception message of a failure.</summary>
    public (JobRunResult Result, string? Error) ResultOf(string jobId) => ResultOf(storage.GetMonitoringApi(), jobId);

    /// <summary>The jobs that failed since <paramref name="since"/> and are still in the failed state, newest first (at most <see cref="MaxFailedJobs"/>).</summary>
    public IReadOnlyList<FailedJobRow> FailedSince(DateTimeOffset since)
    {
        var monitoring = storage.GetMonitoringApi();
        var rows = new List<FailedJobRow>();
        foreach (var (jobId, failed) in monitoring.FailedJobs(0, MaxFailedJobs))
        {
            var failedAt = Utc(failed.FailedAt);
            if (failedAt is null || failedAt < since)
                continue;
            rows.Add(new FailedJobRow(jobId, JobName(monitoring, jobId, failed.Job), failedAt, failed.ExceptionType, failed.ExceptionMessage));
        }
        return rows.OrderByDescending(r => r.FailedAt).ToList();
    }

    private static string JobName(IMonitoringApi monitoring, string jobId, Hangfire.Common.Job? job)
    {
        var details = monitoring.JobDetails(jobId);
        if (details?.Properties is { } properties && properties.TryGetValue(RecurringJobIdParameter, out var raw) && !string.IsNullOrEmpty(raw))
            return raw.Trim('"');
        return job is null ? "unknown job" : $"{job.Type.Name}.{job.Method.Name}";
    }

    private static (JobRunResult, string?) ResultOf(IMonitoringApi monitoring, string jobId)
    {
        var history = monitoring.JobDetails(jobId)?.History;
        var latest = history?.OrderByDescending(h => h.CreatedAt).FirstOrDefault();
        if (latest is null)
            return (JobRunResult.None, null);
        // Hangfire's state names (SucceededState.StateName, …), which are not constants.
        return latest.StateName switch
        {
            "Succeeded" => (JobRunResult.Succeeded, null),
            "Failed" => (JobRunResult.Failed, latest.Data.TryGetValue("ExceptionMessage", out var message) ? message : latest.Reason),
            "Processing" => (JobRunResult.Running, null),
            "Deleted" => (JobRunResult.Deleted, latest.Reason),
            "Scheduled" when latest.Reason?.StartsWith("Retry attempt", StringComparison.Ordinal) == true => (JobRunResult.Retrying, latest.Reason),
            _ => (JobRunResult.Waiting, null),
        };
    }

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
