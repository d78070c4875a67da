using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Jobs;

namespace TenantPortal.Tests.Web;

[Collection(PortalCollection.Name)]
public class RecurringJobsTests(PortalAppFactory portal)
{
    [Fact]
    public void ThePortal_SchedulesTheMeteringJobs_InUtc()
    {
        using var connection = portal.Services.GetRequiredService<JobStorage>().GetConnection();

        var jobs = connection.GetRecurringJobs().ToDictionary(j => j.Id);

        Assert.Equal("* * * * *", jobs[MeteringRollupJob.Id].Cron);
        Assert.Equal("*/5 * * * *", jobs[QuotaAlertsJob.Id].Cron);
        Assert.Equal("0 4 * * *", jobs[InvitationCleanupJob.Id].Cron);
        Assert.Equal("0 3 * * *", jobs[MonthlyInvoicingJob.Id].Cron);
        Assert.Equal("0 2 * * *", jobs[TrialExpiryJob.Id].Cron);
        Assert.Equal("0 5 * * *", jobs[DunningJob.Id].Cron);
        Assert.Equal("*/15 * * * *", jobs[SubscriptionRenewalsJob.Id].Cron);
        Assert.Equal("*/10 * * * *", jobs[StripeInboxRetryJob.Id].Cron);
        Assert.Equal("40 * * * *", jobs[SessionCleanupJob.Id].Cron);
        Assert.Equal("*/10 * * * *", jobs[TenantDeletionJob.Id].Cron);
        Assert.Equal("20 4 * * *", jobs[DomainVerificationJob.Id].Cron);
        Assert.All(jobs.Values, j => Assert.Equal("UTC", j.TimeZoneId));
    }

    [Fact]
    public async Task TheRollupJob_RollsTheDemoHistoryUp_AndLeavesNoLag()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MeteringRollupJob>().RunAsync(CancellationToken.None);

        var lag = await scope.ServiceProvider.GetRequiredService<MeteringRollupService>().LagAsync(CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check");
        var acme = await db.Tenants.SingleAsync(t => t.Slug == "acme");
        var month = PeriodMath.MonthStart(DateTimeOffset.UtcNow);
        var rolled = await db.UsageRollups.SingleAsync(r => r.TenantId == acme.Id && r.Metric == UsageMetric.ApiCalls
            && r.Granularity == RollupGranularity.Month && r.PeriodStart == month);
        var raw = await db.UsageEvents.Where(e => e.TenantId == acme.Id && e.Metric == UsageMetric.ApiCalls
            && e.Timestamp >= month && e.Timestamp < month.AddMonths(1)).SumAsync(e => e.Quantity);

        Assert.Equal(TimeSpan.Zero, lag);
        Assert.Equal(raw, rolled.Sum);
    }

    [Fact]
    public async Task TheSessionCleanupJob_DeletesSessionsThatEnded_AndKeepsActiveOnes()
    {
        var member = await SessionAccounts.MemberAsync(portal);
        var signedOut = await SessionAccounts.SignInAsync(portal, member);
        var active = await SessionAccounts.SignInAsync(portal, member);
        using (var client = SessionAccounts.Client(portal, signedOut))
            await AccountClient.LogOutAsync(client);

        await using var scope = portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SessionCleanupJob>().RunAsync(CancellationToken.None);

        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var left = await db.UserSessions.Where(s => s.UserId == member.UserId).ToListAsync();
        Assert.Null(Assert.Single(left).RevokedAt);
        Assert.True(await SessionAccounts.OpensAsync(portal, active, $"/t/{member.Slug}"));
    }

    [Fact]
    public async Task ARefusedQuotaCheck_IsCounted_AndFlushedByTheRollupJob()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Free, TenantStatus.Suspended);
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug));
        var denied = await client.PostAsync("/api/v1/quota/check", new StringContent("{\"metric\":\"api_calls\",\"amount\":1}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, denied.StatusCode);

        await using var scope = portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MeteringRollupJob>().RunAsync(CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var tenants = scope.ServiceProvider.GetRequiredService<ITenantContext>();
        Guid tenantId;
        using (tenants.BeginCrossTenantScope("test check"))
            tenantId = (await db.Tenants.SingleAsync(t => t.Slug == slug)).Id;
        tenants.SetTenant(tenantId);
        var refusals = await scope.ServiceProvider.GetRequiredService<ApiRefusalService>().SinceAsync(PeriodMath.MonthStart(DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Equal((ApiRefusalDay.QuotaDenied, 1L), (Assert.Single(refusals).Reason, refusals[0].Count));
    }
}
