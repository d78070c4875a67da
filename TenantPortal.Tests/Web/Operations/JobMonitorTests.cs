using System.Net;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Data;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Jobs;
using TenantPortal.Web.Operations;

namespace TenantPortal.Tests.Web.Operations;

/// <summary>The jobs page's service and page against the portal's own Hangfire (in-memory storage, a running server).</summary>
[Collection(PortalCollection.Name)]
public class JobMonitorTests(PortalAppFactory portal)
{

    [Fact]
    public async Task RunNow_EnqueuesARunOfTheRecurringJob_AndThePageShowsItsResult()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var monitor = scope.ServiceProvider.GetRequiredService<JobMonitor>();

        var jobId = monitor.RunNow(InvitationCleanupJob.Id);

        Assert.NotNull(jobId);
        using (var connection = portal.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            Assert.Equal($"\"{InvitationCleanupJob.Id}\"", connection.GetJobParameter(jobId, JobMonitor.RecurringJobIdParameter));
            Assert.Equal(nameof(InvitationCleanupJob), connection.GetJobData(jobId)!.Job.Type.Name);
        }
        Assert.Equal(JobRunResult.Succeeded, await WaitForEndAsync(monitor, jobId));
        var row = monitor.RecurringJobs().Single(j => j.Id == InvitationCleanupJob.Id);
        Assert.Equal((jobId, JobRunResult.Succeeded, (string?)null), (row.LastJobId, row.LastResult, row.LastError));
        Assert.Equal("daily at 04:00", row.Schedule);
        Assert.NotNull(row.NextRunAt);

        var body = await OpsPageAsync("/ops/jobs");
        Assert.Contains($"data-job=\"{InvitationCleanupJob.Id}\" data-result=\"Succeeded\"", body);
        Assert.Contains("id=\"metering-lag-value\"", body);
        Assert.Contains("href=\"/hangfire\"", body);
    }

    [Fact]
    public void RunNow_ReturnsNull_ForAnUnknownJob()
    {
        using var scope = portal.Services.CreateScope();

        Assert.Null(scope.ServiceProvider.GetRequiredService<JobMonitor>().RunNow("no-such-job"));
    }

    [Fact]
    public async Task AFailingJob_ShowsAsFailed_AndNotifiesEachOperatorOncePerDay()
    {
        var manager = portal.Services.GetRequiredService<IRecurringJobManager>();
        manager.AddOrUpdate(FailingTestJob.Id, () => FailingTestJob.Run(), Cron.Never(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        try
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var monitor = scope.ServiceProvider.GetRequiredService<JobMonitor>();

            var first = monitor.RunNow(FailingTestJob.Id)!;
            Assert.Equal(JobRunResult.Failed, await WaitForEndAsync(monitor, first));
            var second = monitor.RunNow(FailingTestJob.Id)!;
            Assert.Equal(JobRunResult.Failed, await WaitForEndAsync(monitor, second));

            var row = monitor.RecurringJobs().Single(j => j.Id == FailingTestJob.Id);
            Assert.Equal((second, JobRunResult.Failed, FailingTestJob.Message), (row.LastJobId, row.LastResult, row.LastError));
            var failed = monitor.FailedSince(DateTimeOffset.UtcNow.AddHours(-24));
            Assert.Contains(failed, f => f.JobId == first && f.Job == FailingTestJob.Id && f.ExceptionMessage == FailingTestJob.Message);
            Assert.Contains(failed, f => f.JobId == second);

            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var operatorId = await db.Users.Where(u => u.Email == PortalAppFactory.OperatorEmail).Select(u => u.Id).SingleAsync();
            var notices = await db.Notifications.AsNoTracking()
                .Where(n => n.DeduplicationKey!.StartsWith($"job-failed:{FailingTestJob.Id}:")).ToListAsync();
            // Other tests of this host add operators: each operator has one notice for the two failures of the day.
            Assert.All(notices.GroupBy(n => n.UserId), perOperator => Assert.Single(perOperator));
            var notice = Assert.Single(notices, n => n.UserId == operatorId);
            Assert.Equal((operatorId, "/ops/jobs", $"Job {FailingTestJob.Id} failed"), (notice.UserId, notice.Link, notice.Title));
            Assert.Contains(FailingTestJob.Message, notice.Message);

            var body = await OpsPageAsync("/ops/jobs");
            Assert.Contains($"data-job=\"{FailingTestJob.Id}\" data-result=\"Failed\"", body);
            Assert.Contains(FailingTestJob.Message, body);
        }
        finally
        {
            manager.RemoveIfExists(FailingTestJob.Id);
        }
    }

    [Fact]
    public async Task JobsPage_IsRefused_ToATenantOwner()
    {
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, "owner@acme.test", PortalAppFactory.DemoPassword);

        var response = await client.GetAsync("/ops/jobs");

        Assert.Contains("/Account/AccessDenied", response.Headers.Location?.ToString() ?? $"{(int)response.StatusCode}");
    }

    private async Task<string> OpsPageAsync(string path)
    {
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword);
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        return body;
    }

    private static async Task<JobRunResult> WaitForEndAsync(JobMonitor monitor, string jobId)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Generous;
        while (true)
        {
            var (result, _) = monitor.ResultOf(jobId);
            if (result is JobRunResult.Succeeded or JobRunResult.Failed or JobRunResult.Deleted || DateTime.UtcNow > deadline)
                return result;
            await Task.Delay(100);
        }
    }
}
