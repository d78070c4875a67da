using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Jobs;

namespace TenantPortal.Tests.Web.Deployment;

/// <summary>
/// Three portal processes on one PostgreSQL database and one Redis (<see cref="ScaleOutCluster"/>), as production runs
/// them behind a load balancer: what one instance acknowledges, signs in or schedules holds on the others, a limit holds
/// for the three together, and losing an instance (kill -9) or the cache (FLUSHALL) loses and double-counts nothing.
/// </summary>
public sealed partial class ScaleOutTests(ScaleOutCluster cluster) : IClassFixture<ScaleOutCluster>
{
    private const string UsagePath = "/api/v1/usage";
    private const string QuotaCheckPath = "/api/v1/quota/check";

    // Started together on a database without keys, each instance made a Data Protection key of its own: a cookie issued by
    // one was refused by another once Data Protection's two minutes of reloading on a missing key had passed (CI, with
    // the class's tests run late on a busy machine: "instance B refused the cookie instance A issued").
    [Fact]
    public async Task InstancesStartedTogether_ShareOneDataProtectionKey()
    {
        var keys = await cluster.QueryAsync<long>("""SELECT count(*) FROM "DataProtectionKeys" """);

        Assert.Equal(1, Assert.Single(keys));
    }

    [Fact]
    public async Task ASignInOnOneInstance_IsAcceptedByTheOthers_AndSigningOutThereEndsTheSessionOnAnother()
    {
        var tenant = await cluster.CreateTenantAsync(SubscriptionTier.Starter);
        var email = await cluster.CreateMemberAsync(tenant, TenantRole.Admin);
        var workspace = $"/t/{tenant.Slug}";
        var cookies = new CookieContainer();
        using (var a = cluster[0].CreateClient(cookies))
            Assert.Equal(HttpStatusCode.Redirect, (await AccountClient.LogInAsync(a, email, SessionAccounts.Password, workspace)).StatusCode);

        Assert.True(await OpensAsync(cluster[1], cookies, workspace), "instance B refused the cookie instance A issued");
        Assert.True(await OpensAsync(cluster[2], cookies, workspace), "instance C refused the cookie instance A issued");
        Assert.False(await OpensAsync(cluster[1], new CookieContainer(), workspace));

        var captured = SessionAccounts.Capture(cookies);
        using (var a = cluster[0].CreateClient(cookies))
            Assert.Equal(HttpStatusCode.Redirect, (await AccountClient.LogOutAsync(a)).StatusCode);
        Assert.False(await OpensAsync(cluster[1], captured, workspace), "the session signed out on instance A still opens on instance B");
    }

    [Fact]
    public async Task AUsageBatchAcknowledgedByOneInstance_IsCountedByAQuotaCheckOnAnother_RightAfterThe202()
    {
        var tenant = await cluster.CreateTenantAsync(SubscriptionTier.Professional);
        using var a = cluster.ApiClient(0, tenant);
        using var c = cluster.ApiClient(2, tenant);
        // Checked on C first, so that whatever C keeps of the tenant is loaded before A ingests.
        Assert.Equal(0m, await UsedAsync(c, "api_calls"));
        Assert.Equal(0m, await UsedAsync(c, "gpu_hours"));

        decimal calls = 0, hours = 0;
        for (var round = 0; round < 5; round++)
        {
            var batch = Enumerable.Range(0, 100).Select(i => new UsageEvent($"r{round}-{i}", i % 2 == 0 ? "api_calls" : "gpu_hours", 1 + i % 7 + (i % 2) * 0.25m)).ToList();
            var acknowledged = await PostBatchAsync(a, batch);
            Assert.Equal((batch.Count, 0), acknowledged);
            calls += batch.Where(e => e.Metric == "api_calls").Sum(e => e.Quantity);
            hours += batch.Where(e => e.Metric == "gpu_hours").Sum(e => e.Quantity);

            Assert.Equal(calls, await UsedAsync(c, "api_calls"));
            Assert.Equal(hours, await UsedAsync(c, "gpu_hours"));
        }
    }

    [Fact]
    public async Task TheTenantRateLimit_HoldsAcrossTheThreeInstancesTogether()
    {
        var tenant = await cluster.CreateTenantAsync(SubscriptionTier.Free);
        var clients = Enumerable.Range(0, ScaleOutCluster.InstanceCount).Select(i => cluster.ApiClient(i, tenant)).ToList();
        try
        {
            // Each instance has authenticated the key and answered once before the clock starts; then a window passes,
            // so that the warm-up's calls have left it.
            foreach (var client in clients)
                await UsedAsync(client, "api_calls");
            await WallClock.WindowPassedAsync();
            var accepted = 0;
            var refused = 0;
            var other = new ConcurrentBag<HttpStatusCode>();
            var duration = TimeSpan.FromSeconds(3);
            var clock = Stopwatch.StartNew();
            // Eight callers per instance, each calling as fast as answers come: far more than the limit, on every instance.
            await Task.WhenAll(Enumerable.Range(0, 8 * clients.Count).Select(async caller =>
            {
                var client = clients[caller % clients.Count];
                while (clock.Elapsed < duration)
                {
                    using var response = await client.PostAsJsonAsync(QuotaCheckPath, new { metric = "api_calls", amount = 0 });
                    switch (response.StatusCode)
                    {
                        case HttpStatusCode.OK:
                            Interlocked.Increment(ref accepted);
                            break;
                        case HttpStatusCode.TooManyRequests:
                            Assert.True(response.Headers.RetryAfter is not null, "a 429 without Retry-After");
                            Interlocked.Increment(ref refused);
                            break;
                        default:
                            other.Add(response.StatusCode);
                            break;
                    }
                }
            }));
            var windows = (int)Math.Ceiling(clock.Elapsed.TotalSeconds);

            Assert.Empty(other);
            Assert.True(refused > 0, $"nothing was refused ({accepted} accepted): the callers did not reach the limit");
            Assert.True(accepted >= ScaleOutCluster.FreeTierRequestsPerSecond, $"only {accepted} accepted in {windows} s");
            // At most the limit in any second: the run's span cut into whole seconds.
            var most = ScaleOutCluster.FreeTierRequestsPerSecond * windows;
            Assert.True(accepted <= most,
                $"{accepted} requests accepted in {windows} s by three instances together; the limit allows at most {most} ({ScaleOutCluster.FreeTierRequestsPerSecond}/s)");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task ARecurringJobDueOnAllThreeInstancesAtOnce_RunsOnce()
    {
        // The daily invitation-cleanup made due now for every instance's recurring-job scheduler at once: its last run
        // put two days back, its next one a day back.
        var job = InvitationCleanupJob.Id;
        var since = await DatabaseNowAsync();
        await cluster.ExecuteAsync("""
            INSERT INTO hangfire.hash (key, field, value) VALUES (@key, 'LastExecution', @last), (@key, 'NextExecution', @next)
                ON CONFLICT (key, field) DO UPDATE SET value = excluded.value;
            UPDATE hangfire.set SET score = @score WHERE key = 'recurring-jobs' AND value = @job;
            """,
            ("key", $"recurring-job:{job}"), ("job", job),
            ("last", HangfireTime(since.AddDays(-2))), ("next", HangfireTime(since.AddDays(-1))), ("score", (double)since.AddDays(-1).ToUnixTimeSeconds()));

        // Every instance's scheduler looks at least once per polling interval (15 s): wait until all have looked.
        var runs = await WaitForRunsAsync(job, since, count => count >= 1);
        var looked = SchedulerPollingInterval + TimeSpan.FromSeconds(2) - (await DatabaseNowAsync() - since);
        if (looked > TimeSpan.Zero)
            await Task.Delay(looked);
        runs = await RunsAsync(job, since);

        var run = Assert.Single(runs);
        Assert.Equal("Succeeded", await WaitForFinalStateAsync(run));
    }

    [Fact]
    public async Task MonthlyInvoicingStartedOnTwoInstancesAtTheSameMoment_IssuesOneInvoicePerTenantAndMonth()
    {
        var tenants = new List<ScaleOutTenant>();
        foreach (var tier in new[] { SubscriptionTier.Starter, SubscriptionTier.Professional, SubscriptionTier.Starter, SubscriptionTier.Enterprise })
            tenants.Add(await cluster.CreateTenantAsync(tier));
        var since = await DatabaseNowAsync();

        // An operator triggers the job on A's and B's dashboards at the same moment, three times each: six runs for the
        // three instances' six workers, so that runs overlap on different instances.
        var cookies = new CookieContainer();
        using (var a = cluster[0].CreateClient(cookies))
            Assert.Equal(HttpStatusCode.Redirect, (await AccountClient.LogInAsync(a, PortalAppFactory.OperatorEmail, ScaleOutCluster.OperatorPassword, "/ops")).StatusCode);
        var dashboards = new[] { await DashboardAsync(cluster[0], cookies), await DashboardAsync(cluster[1], cookies) };
        var triggers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => dashboards[i % 2].TriggerAsync(MonthlyInvoicingJob.Id)));
        Assert.All(triggers, status => Assert.Equal(HttpStatusCode.NoContent, status));

        var runs = await WaitForRunsAsync(MonthlyInvoicingJob.Id, since, count => count >= 6);
        foreach (var run in runs)
            Assert.True(await WaitForFinalStateAsync(run) == "Succeeded", $"run {run} of {MonthlyInvoicingJob.Id}: {await LastStateReasonAsync(run)}");
        var servers = await cluster.QueryAsync<string>(
            "SELECT DISTINCT data->>'ServerId' FROM hangfire.state WHERE name = 'Processing' AND jobid = ANY(@runs)", ("runs", runs.ToArray()));
        Assert.True(servers.Count >= 2, $"all runs were processed by {string.Join(", ", servers)}: the test needs two instances at once");

        var lastClosable = InvoicingService.LastClosablePeriod(DateTimeOffset.UtcNow, graceHours: 24);
        foreach (var tenant in tenants)
        {
            await using var db = cluster.Database.ForTenant(tenant.Id);
            var periods = await db.Invoices.AsNoTracking().Select(i => i.PeriodStart).ToListAsync();
            var created = PeriodMath.MonthStart(DateTimeOffset.UtcNow).AddMonths(-2);
            var expected = Enumerable.Range(0, 3).Select(created.AddMonths).Where(p => p <= lastClosable).ToList();
            Assert.Equal(expected, periods.Order().ToList());
        }
    }

    [Fact]
    public async Task AnInstanceKilledDuringAnIngestOfEightClients_LosesNoAcknowledgedEvent_AndCountsNoneTwice()
    {
        var tenant = await cluster.CreateTenantAsync(SubscriptionTier.Enterprise);
        const int victim = 2;
        try
        {
            // kill -9 of instance C once a third of the batches are acknowledged, while the clients are sending to all three.
            var expected = await IngestAsync(tenant, batchesPerClient: 9, atAcknowledged: 8 * 9 / 3, disrupt: () => cluster.KillAsync(victim));

            var stored = await cluster.StoredEventsAsync(tenant.Id);
            Assert.Equal(stored.Count, stored.Select(e => e.ClientEventId).Distinct().Count());
            Assert.Equal(expected.OrderBy(e => e.Key), stored.Select(e => KeyValuePair.Create(e.ClientEventId, e.Quantity)).OrderBy(e => e.Key));
            var total = expected.Values.Sum();
            foreach (var instance in Enumerable.Range(0, ScaleOutCluster.InstanceCount).Where(i => i != victim))
            {
                using var client = cluster.ApiClient(instance, tenant);
                Assert.Equal(total, await UsedAsync(client, "api_calls"));
            }

            // Started again, the killed instance counts the same.
            await cluster.EnsureRunningAsync(victim);
            using (var restarted = cluster.ApiClient(victim, tenant))
                Assert.Equal(total, await UsedAsync(restarted, "api_calls"));
        }
        finally
        {
            await cluster.EnsureRunningAsync(victim);
        }
    }

    [Fact]
    public async Task RedisFlushedDuringIngestion_QuotaTotalsAreExactAgainWithinOneCheck()
    {
        var tenant = await cluster.CreateTenantAsync(SubscriptionTier.Enterprise);
        var clients = Enumerable.Range(0, ScaleOutCluster.InstanceCount).Select(i => cluster.ApiClient(i, tenant)).ToList();
        try
        {
            // Totals cached on every instance's side before the flush, and checked (so rebuilt) while batches keep coming.
            await Task.WhenAll(clients.Select(c => UsedAsync(c, "api_calls")));
            using var checking = new CancellationTokenSource();
            var checks = Task.WhenAll(clients.Select(async c =>
            {
                while (!checking.IsCancellationRequested)
                    await UsedAsync(c, "api_calls");
            }));
            var expected = await IngestAsync(tenant, batchesPerClient: 6, atAcknowledged: 8 * 6 / 2, disrupt: async () =>
            {
                await using var redis = await TestRedis.ConnectAsync(cluster.Redis.Configuration, "the cluster's own redis-server stopped");
                foreach (var server in redis.GetServers())
                    await server.FlushAllDatabasesAsync();
            });
            await checking.CancelAsync();
            await checks;

            var total = expected.Values.Sum();
            foreach (var client in clients)
                Assert.Equal(total, await UsedAsync(client, "api_calls"));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    // Hangfire's default BackgroundJobServerOptions.SchedulePollingInterval, which the portal keeps: how often each
    // instance's recurring-job scheduler looks for due jobs.
    private static readonly TimeSpan SchedulerPollingInterval = TimeSpan.FromSeconds(15);

    /// <summary>One event of a batch.</summary>
    private sealed record UsageEvent(string Id, string Metric, decimal Quantity);

    /// <summary>
    /// Eight clients send their batches of 200 api_calls events round the three instances; every event id is in two
    /// batches of two different clients. A batch an instance did not acknowledge (no answer, or a 5xx) is sent again to
    /// the next instance until one does. When <paramref name="atAcknowledged"/> batches are acknowledged,
    /// <paramref name="disrupt"/> runs while the others keep sending. Returns every event id sent, with its quantity.
    /// </summary>
    private async Task<Dictionary<string, decimal>> IngestAsync(ScaleOutTenant tenant, int batchesPerClient, int atAcknowledged, Func<Task> disrupt)
    {
        const int clients = 8, batchSize = 200;
        var instances = Enumerable.Range(0, ScaleOutCluster.InstanceCount).Select(i => cluster.ApiClient(i, tenant)).ToList();
        var acknowledged = 0;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Global batch g holds ids g*100 … g*100+199: it shares half its ids with batch g-1 and half with g+1, which other clients send.
        List<UsageEvent> Batch(int g) => Enumerable.Range(g * batchSize / 2, batchSize).Select(n => new UsageEvent($"e-{n}", "api_calls", 1 + n % 5)).ToList();
        try
        {
            var disruption = reached.Task.ContinueWith(_ => disrupt()).Unwrap();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
            {
                for (var b = 0; b < batchesPerClient; b++)
                {
                    var batch = Batch(b * clients + client);
                    for (var attempt = 0; ; attempt++)
                    {
                        Assert.True(attempt < 30, $"client {client}: batch {b} was acknowledged by no instance in 30 attempts");
                        var instance = instances[(client + b + attempt) % instances.Count];
                        try
                        {
                            using var response = await instance.PostAsJsonAsync(UsagePath, Body(batch));
                            if ((int)response.StatusCode >= 500)
                                continue;
                            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                            Assert.Equal(batch.Count, body.RootElement.GetProperty("accepted").GetInt32() + body.RootElement.GetProperty("duplicates").GetInt32());
                            break;
                        }
                        catch (HttpRequestException)
                        {
                            // The instance is gone (or went while answering): the batch goes to the next one.
                        }
                    }
                    if (Interlocked.Increment(ref acknowledged) == atAcknowledged)
                        reached.TrySetResult();
                }
            }));
            await disruption;
            return Enumerable.Range(0, clients * batchesPerClient).SelectMany(Batch).DistinctBy(e => e.Id).ToDictionary(e => e.Id, e => e.Quantity);
        }
        finally
        {
            instances.ForEach(c => c.Dispose());
        }
    }

    private static async Task<(int Accepted, int Duplicates)> PostBatchAsync(HttpClient client, IReadOnlyList<UsageEvent> batch)
    {
        using var response = await client.PostAsJsonAsync(UsagePath, Body(batch));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("accepted").GetInt32(), body.RootElement.GetProperty("duplicates").GetInt32());
    }

    private static object Body(IReadOnlyList<UsageEvent> batch)
    {
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        return new { events = batch.Select(e => new { id = e.Id, metric = e.Metric, quantity = e.Quantity, timestamp = now }) };
    }

    private static async Task<decimal> UsedAsync(HttpClient client, string metric)
    {
        using var response = await client.PostAsJsonAsync(QuotaCheckPath, new { metric, amount = 0 });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"quota check on {client.BaseAddress}: {(int)response.StatusCode} {text}");
        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("used").GetDecimal();
    }

    private static async Task<bool> OpensAsync(PortalProcess instance, CookieContainer cookies, string path)
    {
        using var client = instance.CreateClient(cookies);
        using var response = await client.GetAsync(path);
        if (response.StatusCode == HttpStatusCode.OK)
            return true;
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/Account/Login", StringComparison.Ordinal),
            $"{instance.Address}{path} answered {(int)response.StatusCode} {response.Headers.Location}");
        return false;
    }

    private async Task<DateTimeOffset> DatabaseNowAsync() =>
        (await cluster.QueryAsync<DateTime>("SELECT (now() AT TIME ZONE 'UTC')")).Single() is var now ? new DateTimeOffset(now, TimeSpan.Zero) : default;

    // How Hangfire stores a time in a recurring job's hash (JobHelper.SerializeDateTime): round-trip ISO 8601, UTC.
    private static string HangfireTime(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The background jobs a recurring job created after <paramref name="since"/>, by id.</summary>
    private Task<List<long>> RunsAsync(string recurringJobId, DateTimeOffset since) =>
        cluster.QueryAsync<long>("""
            SELECT j.id FROM hangfire.job j JOIN hangfire.jobparameter p ON p.jobid = j.id
            WHERE p.name = 'RecurringJobId' AND p.value = @id AND j.createdat >= @since ORDER BY j.id
            """, ("id", JsonSerializer.Serialize(recurringJobId)), ("since", since.UtcDateTime.AddSeconds(-1)));

    private async Task<List<long>> WaitForRunsAsync(string recurringJobId, DateTimeOffset since, Func<int, bool> enough)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Generous);
        while (true)
        {
            var runs = await RunsAsync(recurringJobId, since);
            if (enough(runs.Count))
                return runs;
            if (timeout.IsCancellationRequested)
                throw new TimeoutException($"{recurringJobId}: {runs.Count} runs after {TestTimeouts.Generous}");
            await Task.Delay(250);
        }
    }

    /// <summary>Waits until the job has left Enqueued and Processing; returns its state (Scheduled means a failed attempt awaiting retry).</summary>
    private async Task<string> WaitForFinalStateAsync(long jobId)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Generous);
        while (true)
        {
            var state = (await cluster.QueryAsync<string>("SELECT statename FROM hangfire.job WHERE id = @id", ("id", jobId))).Single();
            if (state is not ("Enqueued" or "Processing" or "Awaiting"))
                return state;
            if (timeout.IsCancellationRequested)
                throw new TimeoutException($"job {jobId} is still {state} after {TestTimeouts.Generous}");
            await Task.Delay(250);
        }
    }

    private async Task<string> LastStateReasonAsync(long jobId) =>
        string.Join(" / ", await cluster.QueryAsync<string>(
            "SELECT name || ': ' || coalesce(reason, '') || ' ' || coalesce(data::text, '') FROM hangfire.state WHERE jobid = @id ORDER BY id", ("id", jobId)));

    private static async Task<HangfireDashboard> DashboardAsync(PortalProcess instance, CookieContainer cookies)
    {
        var client = instance.CreateClient(cookies);
        var page = await client.GetStringAsync("/hangfire/recurring");
        var header = CsrfHeader().Match(page);
        var token = CsrfToken().Match(page);
        Assert.True(header.Success && token.Success, $"{instance.Address}hangfire/recurring has no antiforgery token");
        return new HangfireDashboard(client, WebUtility.HtmlDecode(header.Groups[1].Value), WebUtility.HtmlDecode(token.Groups[1].Value));
    }

    /// <summary>An operator's session on one instance's Hangfire dashboard.</summary>
    private sealed record HangfireDashboard(HttpClient Client, string AntiforgeryHeader, string AntiforgeryToken)
    {
        /// <summary>Presses "Trigger now" for the recurring job.</summary>
        public async Task<HttpStatusCode> TriggerAsync(string recurringJobId)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger")
            {
                Content = new FormUrlEncodedContent([new("jobs[]", recurringJobId)]),
            };
            request.Headers.Add(AntiforgeryHeader, AntiforgeryToken);
            using var response = await Client.SendAsync(request);
            return response.StatusCode;
        }
    }

    [GeneratedRegex("<meta name=\"csrf-header\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfHeader();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
