using Hangfire;

namespace TenantPortal.Tests.Web.Operations;

/// <summary>A job that always fails, without automatic retries, for the jobs page tests.</summary>
public static class FailingTestJob
{
    public const string Id = "test-failing-job";
    public const string Message = "The test job failed on purpose";

    [AutomaticRetry(Attempts = 0)]
    public static void Run() => throw new InvalidOperationException(Message);
}
