using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.ApiKeys;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// <c>POST /api/v1/quota/check</c> on a production-like database (10 M events over tenants and the last three months,
/// rolled up by the portal's rollup with a fresh tail past the watermark): latency at a fixed 2,000 requests/s,
/// open-loop; whether a batch is counted by the check right after its 202; and the in-process
/// <see cref="QuotaService.CheckAsync"/> with the running totals (<c>Metering:QuotaCache=Local</c>) and without.
/// </summary>
public sealed class QuotaScenario : ILoadScenario
{
    /// <summary>The issue's target: the check's p99 at most this multiple of the floor's (<c>GET /health/live</c>) in the same run.</summary>
    private const double FloorRatioTarget = 1.2;

    private static readonly UsageMetric[] CheckedMetrics = [UsageMetric.ApiCalls, UsageMetric.GpuHours, UsageMetric.StorageGb, UsageMetric.Studies];

    /// <inheritdoc />
    public string Name => "quota";

    /// <inheritdoc />
    public async Task RunAsync(LoadRun run, CancellationToken cancellationToken)
    {
        var quick = run.Quick;
        var events = quick ? 200_000 : 10_000_000;
        var tenantCount = quick ? 8 : 20;
        var rate = quick ? 500 : 2_000;
        var duration = TimeSpan.FromSeconds(quick ? 5 : 20);
        var visibilityRounds = quick ? 20 : 100;
        var size = $"{events:N0} events, {tenantCount} tenants";

        var folder = run.NewFolder(Name);
        var database = await LoadDatabase.CreateAsync(run, folder, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var tenants = await database.AddTenantsAsync(
            Enumerable.Range(0, tenantCount).Select(i => ($"quota-{i:D2}", i % 2 == 0 ? SubscriptionTier.Professional : SubscriptionTier.Enterprise)),
            now.AddMonths(-4), now, cancellationToken);
        var keys = new List<string>();
        foreach (var tenant in tenants)
            keys.Add(await database.AddApiKeyAsync(tenant, now, cancellationToken));

        var clock = Stopwatch.StartNew();
        var spreadFrom = PeriodMath.MonthStart(now).AddMonths(-2);
        // Generated inside SQLite: row-by-row inserts of 10 M events would take longer than the rest of the run.
        await EventGenerator.InsertAsync(database, 0, events, spreadFrom, now.AddMinutes(-10), now, cancellationToken: cancellationToken);
        run.Log($"quota: {events:N0} events inserted in {clock.Elapsed.TotalSeconds:0.0} s");
        clock.Restart();
        var rollupContexts = new LoadContextFactory(database, null, "load harness: the metering rollup job");
        var rollup = new MeteringRollupService(rollupContexts, new SqliteRollupStore(), new SqliteUsageCommitBarrier(), rollupContexts.Tenant, TimeProvider.System);
        while (true)
        {
            var step = await rollup.RunAsync(cancellationToken);
            if (step.Events == 0)
                break;
        }
        // A fresh tail past the watermark, as between two runs of the job.
        var fresh = events / 100;
        await database.InsertEventsAsync(Events(tenants, fresh, now.AddHours(-1), now.AddMinutes(-5), "f", seed: 2), now, cancellationToken);
        run.Log($"quota: rolled up in {clock.Elapsed.TotalSeconds:0.0} s; {fresh:N0} events past the watermark");

        await MeasureInProcessAsync(run, database, tenants[0], size, quick, cancellationToken);
        await MeasureAuthenticationAsync(run, database, keys[0], size, quick, cancellationToken);

        await using (var portal = await PortalProcess.StartAsync(database, folder, cancellationToken: cancellationToken))
        {
            await MeasureOverHttpAsync(run, portal, keys, rate, duration, size, pinned: false, quick, cancellationToken);
            await CheckVisibilityAsync(run, portal, keys, visibilityRounds, size, cancellationToken);
            run.Record(new Measurement(Name, size, "portal resident memory after the run", portal.WorkingSetBytes() / 1_048_576.0, "MiB", "informative", null));
        }
        if (!CpuPinning.Available)
        {
            run.Log("quota: the pinned run needs Linux, two cores and taskset (util-linux); skipped on this machine.");
            return;
        }
        // Client and server on cores of their own: the portal on the last core, the harness on the others.
        await using (var pinned = await PortalProcess.StartAsync(database, folder, cpus: CpuPinning.PortalCpus, cancellationToken: cancellationToken))
        using (CpuPinning.PinHarness())
            await MeasureOverHttpAsync(run, pinned, keys, rate, duration, size, pinned: true, quick, cancellationToken);
    }

    // The checks and the floor (GET /health/live) in alternating rounds at the same rate, so background work and the
    // machine's state weigh on both alike; the check's p99 is judged against the floor's of the same run.
    private async Task MeasureOverHttpAsync(LoadRun run, PortalProcess portal, IReadOnlyList<string> keys, int rate, TimeSpan duration, string size, bool pinned,
        bool quick, CancellationToken cancellationToken)
    {
        const int Rounds = 4;
        var where = pinned ? $", portal on core {CpuPinning.PortalCpus}, harness on {CpuPinning.HarnessCpus}" : "";
        using var client = portal.CreateClient(maxConnections: 128);
        await DriveChecksAsync(client, keys, rate, TimeSpan.FromSeconds(quick ? 1 : 3), cancellationToken); // warm-up: JIT, caches loaded
        await DriveFloorAsync(client, rate, TimeSpan.FromSeconds(1), cancellationToken);
        await SettleAsync(run, portal, client, keys, rate, size, where, quick, cancellationToken);
        using var portalProcess = Process.GetProcessById(portal.ProcessId);
        var idleCores = await IdleCoresAsync(portalProcess, TimeSpan.FromSeconds(quick ? 1.5 : 3), cancellationToken);
        run.Record(new Measurement(Name, size, $"portal CPU when idle (background work){where}", idleCores * 100, "% of a core", "informative", null, "measured over a pause without requests"));

        var round = duration / Rounds;
        var (checks, floor, checkLateness, floorLateness) = (new LatencyRecorder(), new LatencyRecorder(), new LatencyRecorder(), new LatencyRecorder());
        var (sent, errors, denied, floorSent, floorErrors) = (0, 0, 0, 0, 0);
        var (checkCpu, floorCpu) = (TimeSpan.Zero, TimeSpan.Zero);
        for (var r = 0; r < Rounds; r++)
        {
            var before = portal.ProcessorTime();
            var checkRound = await DriveChecksAsync(client, keys, rate, round, cancellationToken);
            checkCpu += portal.ProcessorTime() - before;
            (sent, errors, denied) = (sent + checkRound.Driver.Sent, errors + checkRound.Driver.Errors, denied + checkRound.Denied);
            checks.Add(checkRound.Driver.Latencies);
            checkLateness.Add(checkRound.Driver.Lateness);

            before = portal.ProcessorTime();
            var floorRound = await DriveFloorAsync(client, rate, round, cancellationToken);
            floorCpu += portal.ProcessorTime() - before;
            (floorSent, floorErrors) = (floorSent + floorRound.Sent, floorErrors + floorRound.Errors);
            floor.Add(floorRound.Latencies);
            floorLateness.Add(floorRound.Lateness);
        }

        var label = $"POST /api/v1/quota/check at {rate:N0}/s for {duration.TotalSeconds:0} s{where}";
        var p99 = checks.Percentile(99);
        var floorP99 = floor.Percentile(99);
        var ratio = p99 / Math.Max(floorP99, 0.001);
        run.Record(new Measurement(Name, size, $"{label}: p50", checks.Percentile(50), "ms", "informative", null));
        run.Record(pinned
            ? new Measurement(Name, size, $"{label}: p99", p99, "ms", "≤ 2 ms", p99 <= 2,
                $"open-loop, from each request's due time; harness lateness p99 {checkLateness.Percentile(99):0.00} ms")
            : new Measurement(Name, size, $"{label}: p99", p99, "ms", "informative", null,
                $"open-loop, from each request's due time; harness lateness p99 {checkLateness.Percentile(99):0.00} ms"));
        run.Record(new Measurement(Name, size, $"{label}: max", checks.Percentile(100), "ms", "informative", null));
        run.Record(new Measurement(Name, size, $"{label}: errors", errors, "requests", "0", errors == 0,
            $"{sent:N0} sent; {denied:N0} answered 429 (quota refused), counted as right answers; floor errors {floorErrors}"));
        run.Record(new Measurement(Name, size, $"floor: GET /health/live at {rate:N0}/s, same rounds{where}: p99", floorP99, "ms", "informative", null,
            $"p50 {floor.Percentile(50):0.00} ms; harness lateness p99 {floorLateness.Percentile(99):0.00} ms"));
        run.Record(pinned
            ? new Measurement(Name, size, $"quota check p99 / floor p99{where}", ratio, "x", "informative", null, $"{Rounds} alternating rounds of {round.TotalSeconds:0.#} s each")
            : new Measurement(Name, size, "quota check p99 / floor p99 (same run)", ratio, "x", $"≤ {FloorRatioTarget}", ratio <= FloorRatioTarget,
                $"{Rounds} alternating rounds of {round.TotalSeconds:0.#} s each"));
        // Both at the same rate over the same time, background work included alike: the difference is what a check adds.
        var cpuPerCheck = checkCpu.TotalMicroseconds / Math.Max(1, sent);
        var cpuPerFloor = floorCpu.TotalMicroseconds / Math.Max(1, floorSent);
        run.Record(new Measurement(Name, size, $"portal CPU time per HTTP check{where}", cpuPerCheck, "µs", "informative", null,
            $"process CPU over the check rounds / requests, background work included; per /health/live {cpuPerFloor:0} µs; {rate:N0}/s needs {cpuPerCheck * rate / 1_000_000:0.00} of a core"));
    }

    private static IEnumerable<(Guid, string, UsageMetric, decimal, DateTimeOffset)> Events(IReadOnlyList<Guid> tenants, int count, DateTimeOffset from, DateTimeOffset to, string prefix, int seed)
    {
        var random = new Random(seed);
        var span = (to - from).Ticks;
        for (var n = 0; n < count; n++)
        {
            var roll = random.Next(100);
            var (metric, quantity) = roll switch
            {
                < 70 => (UsageMetric.ApiCalls, 1m),
                < 90 => (UsageMetric.GpuHours, 0.1m),
                < 97 => (UsageMetric.StorageGb, random.Next(1, 500)),
                _ => (UsageMetric.Studies, (decimal)random.Next(1, 100)),
            };
            yield return (tenants[n % tenants.Count], $"{prefix}{n}", metric, quantity, from.AddTicks((long)(random.NextDouble() * span)));
        }
    }

    // The portal's service in this process on the same file: the cached path after its one load, then the uncached one.
    private async Task MeasureInProcessAsync(LoadRun run, LoadDatabase database, Guid tenantId, string size, bool quick, CancellationToken cancellationToken)
    {
        var contexts = new LoadContextFactory(database, tenantId);
        var cached = new QuotaService(contexts, contexts.Tenant, TimeProvider.System, new SqliteUsageCommitBarrier(), new QuotaUsageCache(TimeProvider.System), new TenantQuotaStateCache(TimeProvider.System));
        var first = Stopwatch.StartNew();
        await CheckAsync(cached, UsageMetric.ApiCalls, cancellationToken);
        run.Record(new Measurement(Name, size, "in-process first check (loads the tenant's totals)", first.Elapsed.TotalMilliseconds, "ms", "informative", null));
        var warm = await TimeChecksAsync(cached, quick ? 2_000 : 20_000, cancellationToken);
        var timed = await TimeChecksAsync(cached, quick ? 20_000 : 200_000, cancellationToken);
        run.Record(new Measurement(Name, size, "in-process QuotaService.CheckAsync p50, cached", timed.Percentile(50) * 1000, "µs", "informative", null));
        var p99 = timed.Percentile(99) * 1000;
        run.Record(new Measurement(Name, size, "in-process QuotaService.CheckAsync p99, cached", p99, "µs", "≤ 50 µs", p99 <= 50,
            $"{timed.Count:N0} sequential checks after {warm.Count:N0} warm-up, Stopwatch per call"));

        var uncached = new QuotaService(contexts, contexts.Tenant, TimeProvider.System, new SqliteUsageCommitBarrier());
        await TimeChecksAsync(uncached, 20, cancellationToken);
        var reads = await TimeChecksAsync(uncached, quick ? 40 : 400, cancellationToken);
        run.Record(new Measurement(Name, size, "in-process QuotaService.CheckAsync p99, QuotaCache=None", reads.Percentile(99), "ms", "informative", null,
            $"p50 {reads.Percentile(50):0.00} ms; reads the database every check"));
    }

    private static async Task<LatencyRecorder> TimeChecksAsync(QuotaService quotas, int count, CancellationToken cancellationToken)
    {
        var latencies = new LatencyRecorder();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await CheckAsync(quotas, CheckedMetrics[i % CheckedMetrics.Length], cancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(start));
        }
        return latencies;
    }

    private static async Task CheckAsync(QuotaService quotas, UsageMetric metric, CancellationToken cancellationToken)
    {
        var result = await quotas.CheckAsync(metric, 1, cancellationToken);
        if (!result.IsSuccess)
            throw new InvalidOperationException($"The quota check failed: {result.Error}.");
    }

    // Until the portal's start-up work is over, so the rounds measure its steady state: (1) its recurring jobs have run
    // once (every minute, from the first minute's start after it started; their first run also compiles them), and
    // (2) the JIT's later tiers are done. Those compile the hot methods again, optimized, on a background thread, once
    // no new method has been called for a while (100 ms; ten times that in a process on one core), so the compiler works
    // in the pauses: measured, a pinned portal that had passed a settle under load alone then used 0.25–1.15 s of its one
    // core in each of the following 2-second idle slices. So a slice here is load (checks and floor requests) followed by a
    // pause; quiet is under 2 % of a core over a slice, twice in a row.
    private async Task SettleAsync(LoadRun run, PortalProcess portal, HttpClient client, IReadOnlyList<string> keys, int rate, string size, string where, bool quick,
        CancellationToken cancellationToken)
    {
        var load = TimeSpan.FromSeconds(2);
        var pause = TimeSpan.FromSeconds(2.5);
        var jobsRan = portal.StartedAt.AddTicks(TimeSpan.TicksPerMinute - portal.StartedAt.UtcTicks % TimeSpan.TicksPerMinute).AddSeconds(10);
        var settled = Stopwatch.StartNew();
        var compiled = portal.CompilerProcessorTime();
        var compiling = TimeSpan.Zero;
        var quietSlices = 0;
        while (compiled is not null && settled.Elapsed < TimeSpan.FromSeconds(quick ? 120 : 180))
        {
            await DriveChecksAsync(client, keys, rate, load / 2, cancellationToken);
            await DriveFloorAsync(client, rate, load / 2, cancellationToken);
            await Task.Delay(pause, cancellationToken);
            var now = portal.CompilerProcessorTime();
            if (now is null)
                break;
            var inSlice = now.Value - compiled.Value;
            compiling += inSlice;
            compiled = now;
            quietSlices = inSlice < (load + pause) * 0.02 ? quietSlices + 1 : 0;
            if (quietSlices >= 2 && DateTimeOffset.UtcNow >= jobsRan)
                break;
        }
        run.Record(new Measurement(Name, size, $"settling after the warm-up{where}: until the recurring jobs have run once and the JIT's later tiers are done", settled.Elapsed.TotalSeconds, "s",
            "informative", null, $"slices of {load.TotalSeconds:0} s of checks and floor requests at {rate:N0}/s and a {pause.TotalSeconds:0.#} s pause, until two in a row are quiet; the tiered compiler used {compiling.TotalSeconds:0.0} s of CPU meanwhile; the measured rounds start after"));
    }

    private static async Task<(FixedRateDriver Driver, int Denied)> DriveChecksAsync(HttpClient client, IReadOnlyList<string> keys, int rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var bodies = CheckedMetrics.Select(m => Encoding.UTF8.GetBytes($"{{\"metric\":\"{UsageMetrics.Name(m)}\",\"amount\":1}}")).ToArray();
        var driver = new FixedRateDriver(rate, duration, senders: 96);
        var denied = 0;
        await driver.RunAsync(async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/quota/check") { Content = new ByteArrayContent(bodies[i % bodies.Length]) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys[(int)(i / bodies.Length % keys.Count)]);
            using var response = await client.SendAsync(request, ct);
            await response.Content.LoadIntoBufferAsync(ct);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                Interlocked.Increment(ref denied);
            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests;
        }, cancellationToken);
        return (driver, denied);
    }

    // The same rate on GET /health/live (no authentication, no database): what the host and the harness cost by themselves.
    private static async Task<FixedRateDriver> DriveFloorAsync(HttpClient client, int rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var driver = new FixedRateDriver(rate, duration, senders: 96);
        await driver.RunAsync(async (_, ct) =>
        {
            using var response = await client.GetAsync("health/live", ct);
            await response.Content.LoadIntoBufferAsync(ct);
            return response.StatusCode == HttpStatusCode.OK;
        }, cancellationToken);
        return driver;
    }

    private static async Task<double> IdleCoresAsync(Process portalProcess, TimeSpan pause, CancellationToken cancellationToken)
    {
        portalProcess.Refresh();
        var before = portalProcess.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.Delay(pause, cancellationToken);
        portalProcess.Refresh();
        return (portalProcess.TotalProcessorTime - before).TotalMilliseconds / clock.Elapsed.TotalMilliseconds;
    }

    // The other work on the route: the API key lookup, answered from the key cache after the first call (as in the portal).
    private async Task MeasureAuthenticationAsync(LoadRun run, LoadDatabase database, string key, string size, bool quick, CancellationToken cancellationToken)
    {
        var contexts = new LoadContextFactory(database, null, "load harness: API key lookup");
        var keys = new ApiKeyService(contexts, new AuditWriter(TimeProvider.System), new ApiKeyCache(TimeProvider.System), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiKeyService>.Instance,
            new TenantPortal.Data.Services.Entitlements.EntitlementService(contexts, TenantPortal.Core.Entitlements.PlanEntitlements.Defaults,
                new TenantPortal.Data.Services.Entitlements.EntitlementCache(TimeProvider.System), TimeProvider.System));
        var latencies = new LatencyRecorder();
        for (var i = 0; i < (quick ? 1_000 : 10_000); i++)
        {
            var start = Stopwatch.GetTimestamp();
            _ = await keys.AuthenticateAsync(key, cancellationToken) ?? throw new InvalidOperationException("The API key did not authenticate.");
            if (i >= 200)
                latencies.Add(Stopwatch.GetElapsedTime(start));
        }
        run.Record(new Measurement(Name, size, "in-process ApiKeyService.AuthenticateAsync p99 (key cache, a DB query every 5 s)", latencies.Percentile(99) * 1000, "µs", "informative", null,
            $"p50 {latencies.Percentile(50) * 1000:0} µs; what each HTTP check pays to authenticate"));
    }

    private async Task CheckVisibilityAsync(LoadRun run, PortalProcess portal, IReadOnlyList<string> keys, int rounds, string size, CancellationToken cancellationToken)
    {
        using var client = portal.CreateClient();
        const int batch = 5;
        var visible = 0;
        for (var round = 0; round < rounds; round++)
        {
            var key = keys[round % keys.Count];
            var before = await UsedApiCallsAsync(client, key, cancellationToken);
            var at = DateTimeOffset.UtcNow.ToString("O");
            var events = string.Join(",", Enumerable.Range(0, batch).Select(j => $"{{\"id\":\"vis-{round}-{j}\",\"metric\":\"api_calls\",\"quantity\":1,\"timestamp\":\"{at}\"}}"));
            using var ingest = new HttpRequestMessage(HttpMethod.Post, "api/v1/usage") { Content = new StringContent($"{{\"events\":[{events}]}}", Encoding.UTF8, "application/json") };
            ingest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var accepted = await client.SendAsync(ingest, cancellationToken);
            if (accepted.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"The ingest answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync(cancellationToken)}");
            var after = await UsedApiCallsAsync(client, key, cancellationToken);
            if (after - before == batch)
                visible++;
        }
        run.Record(new Measurement(Name, size, "ingest then check at once: batch counted", visible, $"of {rounds}", $"{rounds} of {rounds}", visible == rounds,
            $"{batch} api_calls per batch; the check right after the 202 must include them"));
    }

    private static async Task<decimal> UsedApiCallsAsync(HttpClient client, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/quota/check") { Content = new StringContent("{\"metric\":\"api_calls\",\"amount\":0}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request, cancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("used").GetDecimal();
    }
}
