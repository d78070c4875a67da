using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.States;
using TenantPortal.Web.Jobs;

namespace TenantPortal.Tests.Web.Jobs;

/// <summary>The failed-jobs figure of the fleet summary, read from Hangfire's hourly statistics.</summary>
public class FailedJobsCounterTests
{
    [Fact]
    public void FailedInLast24Hours_IsZero_WhenNothingFailed()
    {
        using var storage = new InMemoryStorage();

        Assert.Equal(0, new FailedJobsCounter(storage).FailedInLast24Hours());
    }

    [Fact]
    public void FailedInLast24Hours_CountsAJob_WhenItMovedToFailed()
    {
        using var storage = new InMemoryStorage();
        // Without automatic retries: a failure that will be retried is not (yet) a failed job.
        var client = new BackgroundJobClient(storage, new JobFilterCollection { new StatisticsHistoryAttribute() });
        var id = client.Create(() => Console.WriteLine("fleet"), new EnqueuedState());

        client.ChangeState(id, new FailedState(new InvalidOperationException("boom")));

        Assert.Equal(1, new FailedJobsCounter(storage).FailedInLast24Hours());
    }
}
