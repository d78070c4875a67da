namespace TenantPortal.Web.Operations;

/// <summary>A background job that failed.</summary>
/// <param name="JobId">The background job id.</param>
/// <param name="Job">Which job: its recurring id, or type and method.</param>
/// <param name="FailedAt">When it failed (UTC).</param>
/// <param name="ExceptionType">The exception's type.</param>
/// <param name="ExceptionMessage">The exception's message.</param>
public sealed record FailedJobRow(string JobId, string Job, DateTimeOffset? FailedAt, string? ExceptionType, string? ExceptionMessage);
