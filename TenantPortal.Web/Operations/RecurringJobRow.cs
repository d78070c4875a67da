namespace TenantPortal.Web.Operations;

/// <summary>One recurring job on the operators' jobs page.</summary>
/// <param name="Id">The recurring job id, e.g. <c>metering-rollup</c>.</param>
/// <param name="Cron">Its cron expression.</param>
/// <param name="Schedule">The schedule in words, when the cron is a common one; else the cron itself.</param>
/// <param name="TimeZone">The time zone of the cron.</param>
/// <param name="LastRunAt">When it last started (UTC).</param>
/// <param name="LastJobId">The background job of its last run.</param>
/// <param name="LastResult">How that run ended.</param>
/// <param name="LastError">The exception message of a failed run.</param>
/// <param name="NextRunAt">When it runs next (UTC).</param>
/// <param name="ScheduleError">Why the job can't be scheduled, e.g. its type no longer loads.</param>
public sealed record RecurringJobRow(
    string Id, string Cron, string Schedule, string? TimeZone, DateTimeOffset? LastRunAt, string? LastJobId, JobRunResult LastResult,
    string? LastError, DateTimeOffset? NextRunAt, string? ScheduleError);
