using Hangfire;

namespace TenantPortal.Web.Jobs;

/// <summary>
/// Failed Hangfire jobs for the operators' summary, read from the job storage's monitoring API. It lives on the Web side
/// so that the Data layer stays free of Hangfire.
/// </summary>
public class FailedJobsCounter(JobStorage storage)
{
    /// <summary>Jobs that failed in the last 24 hours (Hangfire's hourly failure statistics).</summary>
    public long FailedInLast24Hours() => storage.GetMonitoringApi().HourlyFailedJobs().Values.Sum();
}
