using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RedisRateLimiting;
using StackExchange.Redis;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Web.Options;
using TenantPortal.Web.Security;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The production topology: three portal processes on one PostgreSQL database (Hangfire there too) and one Redis, with
/// <c>Metering:QuotaCache=Redis</c> and <c>RateLimiting:Store=Redis</c>, whatever <c>--provider</c> says. Measures the
/// in-process <see cref="QuotaService.CheckAsync"/> on the Redis totals (registered as the portal registers it) beside
/// the round trips it is made of; <c>POST /api/v1/quota/check</c> open-loop at a fixed rate round-robin over the three,
/// against the <c>/health/live</c> floor driven the same way in the same run; a batch acknowledged by one instance and
/// counted by a check on another right after; and the shared rate limit's accuracy, three instances driven far above a
/// tenant's limit, then the same with <c>RateLimiting:Store=Memory</c> (each instance its share) for contrast.
/// </summary>
public sealed class ScaleOutScenario : ILoadScenario
{
    /// <summary>The scenario's name on the command line.</summary>
    public const string ScenarioName = "scaleout";

    /// <summary>Portal processes in the cluster.</summary>
    public const int Instances = 3;

    // The Free tier's limit (requests/s) in the rate limiter's drive; every other tier keeps the harness's lifted limit.
    private const int FreeTierLimit = 50;
    // Concurrent callers of the rate limiter's drive: far more requests than the limit, spread over the three.
    private const int LimiterCallers = 32;
    private const double InProcessTargetMicroseconds = 500;
    private const double FloorRatioTarget = 1.5;
    private static readonly UsageMetric[] CheckedMetrics = [UsageMetric.ApiCalls, UsageMetric.GpuHours, UsageMetric.StorageGb, UsageMetric.Studies];

    /// <inheritdoc />
    public string Name => ScenarioName;

    /// <inheritdoc />
    public async Task RunAsync(LoadRun run, CancellationToken cancellationToken)
    {
        var quick = run.Quick;
        var tenantCount = quick ? 8 : 20;
        var events = quick ? 20_000 : 200_000;
        // Open-loop rates of the checks: with headroom, and the SQLite quota scenario's 2,000/s (near what the machine carries).
        int[] rates = quick ? [500] : [500, 2_000];
        // The checks and the floor alternate in rounds, so that a change in the machine's load hits both alike.
        var rounds = quick ? 1 : 4;
        var roundLength = TimeSpan.FromSeconds(quick ? 3 : 5);
        var visibilityRounds = quick ? 20 : 100;
        var limiterDrive = TimeSpan.FromSeconds(quick ? 3 : 15);
        var size = $"{Instances} instances, {tenantCount} tenants, {events:N0} events";

        var (postgres, _) = await LoadServers.DescribePostgreSqlAsync(run.PostgreSqlServer, cancellationToken);
        var redis = await LoadServers.ConnectRedisAsync(run.RedisConfiguration, cancellationToken);
        run.OnEnd(async () => await redis.DisposeAsync());
        run.DescribeServer($"Scale-out topology: {postgres}");
        run.DescribeServer($"Scale-out topology: {LoadServers.DescribeRedis(redis, run.RedisConfiguration)}");

        var folder = run.NewFolder(Name);
        var database = await LoadDatabase.CreatePostgreSqlAsync(run, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var tenants = await database.AddTenantsAsync(
            Enumerable.Range(0, tenantCount).Select(i => ($"scaleout-{i:D2}", i % 2 == 0 ? SubscriptionTier.Professional : SubscriptionTier.Enterprise)),
            now.AddMonths(-2), now, cancellationToken);
        var mark = $"loadharness-{Guid.NewGuid():N}";
        var everyTenant = new List<Guid>(tenants);
        // The shared Redis: delete what this run wrote (keys naming its tenants or its mark), never a flush.
        run.OnEnd(async () => run.Log($"{Name}: {await RedisKeyCleanup.DeleteAsync(redis, everyTenant, [mark])} Redis keys of this run deleted"));
        var keys = new List<string>();
        foreach (var tenant in tenants)
            keys.Add(await database.AddApiKeyAsync(tenant, now, cancellationToken));
        var clock = Stopwatch.StartNew();
        // This month's usage, rolled up as the portal's job leaves it (else the job would roll it up in the instances
        // while they are measured), with a fresh tail past the watermark as between two runs of the job.
        var monthStart = PeriodMath.MonthStart(now);
        var tail = events / 100;
        await EventGenerator.InsertAsync(database, 0, events - tail, monthStart, now > monthStart.AddHours(2) ? now.AddHours(-1) : now, now, cancellationToken: cancellationToken);
        await using (var jobs = JobHost.Build(database, now))
        {
            while ((await jobs.RunAsync<MeteringRollupService, RollupRun>(r => r.RunAsync(cancellationToken))).Full)
            {
            }
        }
        await EventGenerator.InsertAsync(database, events - tail, tail, now > monthStart.AddHours(2) ? now.AddHours(-1) : monthStart, now, now, cancellationToken: cancellationToken);
        run.Log($"{Name}: {events:N0} events inserted and rolled up ({tail:N0} past the watermark) in {clock.Elapsed.TotalSeconds:0.0} s");
        // Added after the events: no usage, so that its quota never refuses and every 429 of the drive is the limiter's.
        var limited = await database.AddTenantAsync("scaleout-limited", SubscriptionTier.Free, now, now, cancellationToken);
        everyTenant.Add(limited);
        var limitedKey = await database.AddApiKeyAsync(limited, now, cancellationToken);

        await MeasureInProcessAsync(run, database, tenants[0], mark, size, quick, cancellationToken);

        clock.Restart();
        await using (var cluster = await PortalCluster.StartAsync(database, folder, Instances, ClusterSettings(database, run, RateLimitStore.Redis), cancellationToken: cancellationToken))
        {
            run.Record(new Measurement(Name, size, $"{Instances} instances started (one --migrate-only, the first, then the others at once) until /health/ready",
                clock.Elapsed.TotalSeconds, "s", "informative", null));
            await MeasureHttpAsync(run, cluster, keys, rates, rounds, roundLength, RateLimitStore.Redis, size, cancellationToken);
            await CheckVisibilityAsync(run, cluster, keys, visibilityRounds, size, cancellationToken);
            await MeasureLimiterAsync(run, cluster, limitedKey, limiterDrive, RateLimitStore.Redis, size, cancellationToken);
            run.Record(new Measurement(Name, size, $"resident memory of the {Instances} instances together after the run", cluster.WorkingSetBytes() / 1_048_576.0, "MiB", "informative", null));
        }

        // For contrast: each instance enforcing its share in memory (RateLimiting:Instances=3): the same limiter drive, and
        // the same checks without the limiter's Redis call (what that call adds to a check).
        await using (var cluster = await PortalCluster.StartAsync(database, folder, Instances, ClusterSettings(database, run, RateLimitStore.Memory), cancellationToken: cancellationToken))
        {
            await MeasureHttpAsync(run, cluster, keys, rates, rounds, roundLength, RateLimitStore.Memory, size, cancellationToken);
            await MeasureLimiterAsync(run, cluster, limitedKey, limiterDrive, RateLimitStore.Memory, size, cancellationToken);
        }
    }

    // The production topology's settings; PortalProcess lifts the limit of every tier but Free.
    private static Dictionary<string, string> ClusterSettings(LoadDatabase database, LoadRun run, RateLimitStore store)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "PostgreSql",
            // A pool of its own per instance, small: the server is shared with the tests and the other instances.
            ["ConnectionStrings:Portal"] = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 30 }.ToString(),
            ["Hangfire:Storage"] = "PostgreSql",
            ["Redis:Configuration"] = run.RedisConfiguration,
            ["Metering:QuotaCache"] = "Redis",
            ["RateLimiting:Store"] = store.ToString(),
            ["RateLimiting:Tiers:Free"] = FreeTierLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (store == RateLimitStore.Memory)
            settings["RateLimiting:Instances"] = Instances.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    // The portal's QuotaService as AddDataServices registers it with Metering:QuotaCache=Redis, in this process, beside the
    // round trips a request on the API pays: one to Redis alone (PING) and the rate limiter's (RedisRateLimiting's
    // sliding window, as TenantRateLimiting configures it, on a key of this run's own).
    private async Task MeasureInProcessAsync(LoadRun run, LoadDatabase database, Guid tenantId, string mark, string size, bool quick, CancellationToken cancellationToken)
    {
        var (warmCount, timedCount) = quick ? (2_000, 10_000) : (20_000, 100_000);
        await using var services = JobHost.Build(database, DateTimeOffset.UtcNow, new Dictionary<string, string>
        {
            ["Redis:Configuration"] = run.RedisConfiguration,
            ["Metering:QuotaCache"] = "Redis",
        });
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(tenantId);
        var quotas = scope.ServiceProvider.GetRequiredService<QuotaService>();
        var first = Stopwatch.StartNew();
        await CheckAsync(quotas, UsageMetric.ApiCalls, cancellationToken);
        run.Record(new Measurement(Name, size, "in-process first check (builds the tenant-month's entry in Redis from the database)", first.Elapsed.TotalMilliseconds, "ms", "informative", null));
        await TimeAsync(warmCount, i => CheckAsync(quotas, CheckedMetrics[i % CheckedMetrics.Length], cancellationToken));
        var machine = MachineCpu.Now();
        var checks = await TimeAsync(timedCount, i => CheckAsync(quotas, CheckedMetrics[i % CheckedMetrics.Length], cancellationToken));
        var busy = MachineCpu.Now().BusySince(machine);
        var p99 = checks.Percentile(99) * 1000;
        run.Record(new Measurement(Name, size, "in-process QuotaService.CheckAsync p50, QuotaCache=Redis", checks.Percentile(50) * 1000, "µs", "informative", null));
        run.Record(new Measurement(Name, size, "in-process QuotaService.CheckAsync p99, QuotaCache=Redis", p99, "µs", $"≤ {InProcessTargetMicroseconds:0} µs", p99 <= InProcessTargetMicroseconds,
            $"{checks.Count:N0} sequential checks after {warmCount:N0} warm-up, Stopwatch per call; one EVALSHA each; machine {busy:P0} busy meanwhile"));

        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        await TimeAsync(warmCount, _ => redis.PingAsync());
        var pings = await TimeAsync(timedCount, _ => redis.PingAsync());
        run.Record(new Measurement(Name, size, "in-process Redis round trip (PING) p99", pings.Percentile(99) * 1000, "µs", "informative", null,
            $"p50 {pings.Percentile(50) * 1000:0} µs; the floor of any Redis call"));

        var multiplexer = services.GetRequiredService<IConnectionMultiplexer>();
        using var limiter = new RedisSlidingWindowRateLimiter<string>($"{TenantRateLimiting.RedisKeyPrefix}{mark}:1000000", new RedisSlidingWindowRateLimiterOptions
        {
            PermitLimit = 1_000_000,
            Window = TimeSpan.FromSeconds(1),
            ConnectionMultiplexerFactory = () => multiplexer,
        });
        async Task AcquireAsync()
        {
            using var lease = await limiter.AcquireAsync(1, cancellationToken);
            if (!lease.IsAcquired)
                throw new InvalidOperationException("The harness's own rate limiter refused a permit under a limit of 1,000,000.");
        }
        await TimeAsync(warmCount, _ => AcquireAsync());
        var grants = await TimeAsync(timedCount, _ => AcquireAsync());
        run.Record(new Measurement(Name, size, "in-process rate limiter's Redis call (sliding window, AcquireAsync) p99", grants.Percentile(99) * 1000, "µs", "informative", null,
            $"p50 {grants.Percentile(50) * 1000:0} µs; every API request pays it with RateLimiting:Store=Redis"));
    }

    private static async Task<LatencyRecorder> TimeAsync(int count, Func<int, Task> call)
    {
        var latencies = new LatencyRecorder();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call(i);
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

    // Quota checks and the /health/live floor at the same fixed rate, round-robin over the instances, in alternating rounds.
    // The target applies to the production settings (the limiter in Redis); with it in memory the lines are the contrast.
    private async Task MeasureHttpAsync(LoadRun run, PortalCluster cluster, IReadOnlyList<string> keys, int[] rates, int rounds, TimeSpan roundLength,
        RateLimitStore store, string size, CancellationToken cancellationToken)
    {
        var rate = rates[^1];
        var production = store == RateLimitStore.Redis;
        var bodies = CheckedMetrics.Select(m => Encoding.UTF8.GetBytes($"{{\"metric\":\"{UsageMetrics.Name(m)}\",\"amount\":1}}")).ToArray();
        var refusedByQuota = 0;
        async Task<bool> CheckAsync(HttpClient client, long i, CancellationToken ct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/quota/check") { Content = new ByteArrayContent(bodies[i % bodies.Length]) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys[(int)(i / bodies.Length % keys.Count)]);
            using var response = await client.SendAsync(request, ct);
            await response.Content.LoadIntoBufferAsync(ct);
            // A quota refusal (429 with the check's own body) is a right answer; the limiter's (a problem body) is not here.
            var quotaRefusal = response.StatusCode == HttpStatusCode.TooManyRequests && response.Content.Headers.ContentType?.MediaType == "application/json";
            if (quotaRefusal)
                Interlocked.Increment(ref refusedByQuota);
            return response.StatusCode == HttpStatusCode.OK || quotaRefusal;
        }
        static async Task<bool> LiveAsync(HttpClient client, long i, CancellationToken ct)
        {
            using var response = await client.GetAsync("health/live", ct);
            await response.Content.LoadIntoBufferAsync(ct);
            return response.StatusCode == HttpStatusCode.OK;
        }

        // Warm-up: JIT, connections, the key and tenant-state caches, and (first cluster) the Redis entries of every
        // tenant but the one built in process: what a cold start costs, so it is reported too.
        var warmUp = TimeSpan.FromSeconds(run.Quick ? 1 : 3);
        var clock = Stopwatch.StartNew();
        var cold = (await DriveAsync(cluster, rate, warmUp, CheckAsync, cancellationToken)).Driver;
        run.Record(new Measurement(Name, size, $"cold start: the first {rate * warmUp.TotalSeconds:N0} checks ({warmUp.TotalSeconds:0} s at {rate:N0}/s) after the instances start, RateLimiting:Store={store}: p99",
            cold.Latencies.Percentile(99), "ms", "informative", null,
            $"answered in {clock.Elapsed.TotalSeconds:0.0} s; p50 {cold.Latencies.Percentile(50):0.0} ms; {cold.Errors} errors; JIT, caches{(production ? ", and the Redis entries of the tenants not checked yet, built from the database" : "; the Redis entries exist already")}"));
        // Then checks until the JIT's later tiers are done: they compile the hot methods again, optimized, on a background
        // thread of each instance, which took cores for a minute after the start on this busy machine (measured: 100 to
        // 1,000 methods/s, half a core per instance); rounds taken meanwhile measured the compiler as much as the check.
        var settled = Stopwatch.StartNew();
        var slice = TimeSpan.FromSeconds(2);
        var compiled = cluster.CompilerProcessorTime();
        var compiling = TimeSpan.Zero;
        while (settled.Elapsed < TimeSpan.FromSeconds(run.Quick ? 10 : 120))
        {
            await DriveAsync(cluster, rate, slice, CheckAsync, cancellationToken);
            var now = cluster.CompilerProcessorTime();
            if (now is null || compiled is null)
            {
                await DriveAsync(cluster, rate, TimeSpan.FromSeconds(run.Quick ? 2 : 10), CheckAsync, cancellationToken);
                break;
            }
            var inSlice = now.Value - compiled.Value;
            compiling += inSlice;
            compiled = now;
            // Quiet: under 2 % of a core per instance.
            if (inSlice < slice * 0.02 * Instances)
                break;
        }
        run.Record(new Measurement(Name, size, $"settling after the cold start, RateLimiting:Store={store}: checks at {rate:N0}/s until the JIT's later tiers are done", settled.Elapsed.TotalSeconds, "s",
            "informative", null, $"the instances' tiered compilers used {compiling.TotalSeconds:0.0} s of CPU meanwhile; the measured rounds start after"));
        await DriveAsync(cluster, rate, warmUp, LiveAsync, cancellationToken);
        foreach (var measured in rates)
        {
            refusedByQuota = 0;
            await MeasureRateAsync(run, cluster, measured, rounds, roundLength, store, size, CheckAsync, LiveAsync, () => refusedByQuota, cancellationToken);
        }
    }

    // The rounds at one rate, and their lines.
    private async Task MeasureRateAsync(LoadRun run, PortalCluster cluster, int rate, int rounds, TimeSpan roundLength, RateLimitStore store, string size,
        Func<HttpClient, long, CancellationToken, Task<bool>> check, Func<HttpClient, long, CancellationToken, Task<bool>> live, Func<int> refusedByQuota,
        CancellationToken cancellationToken)
    {
        var production = store == RateLimitStore.Redis;
        var (checks, floor) = (new Rounds(), new Rounds());
        for (var round = 0; round < rounds; round++)
        {
            // A second of checks first, not measured: the floor's round before left every API key idle for longer than the
            // key cache keeps one (ApiKeyCache.TimeToLive), which steady traffic never does (a cold key: the cold start).
            await DriveAsync(cluster, rate, TimeSpan.FromSeconds(1), check, cancellationToken);
            checks.Add(await DriveAsync(cluster, rate, roundLength, check, cancellationToken));
            floor.Add(await DriveAsync(cluster, rate, roundLength, live, cancellationToken));
        }
        var duration = roundLength * rounds;
        var label = $"POST /api/v1/quota/check at {rate:N0}/s round-robin over {Instances} for {duration.TotalSeconds:0} s, RateLimiting:Store={store}";
        var checkP99 = checks.Latencies.Percentile(99);
        var floorP99 = floor.Latencies.Percentile(99);
        run.Record(new Measurement(Name, size, $"{label}: p50", checks.Latencies.Percentile(50), "ms", "informative", null));
        run.Record(new Measurement(Name, size, $"{label}: p99", checkP99, "ms", "informative", null,
            $"open-loop, from each request's due time; harness lateness p99 {checks.Lateness.Percentile(99):0.00} ms; achieved {checks.AchievedRate:N0}/s; max {checks.Latencies.Percentile(100):0.0} ms; machine {checks.MachineBusy:P0} busy"));
        run.Record(new Measurement(Name, size, $"floor: GET /health/live at {rate:N0}/s round-robin over {Instances}, in the same rounds{(production ? "" : " (RateLimiting:Store=Memory run)")}: p99", floorP99, "ms", "informative", null,
            $"p50 {floor.Latencies.Percentile(50):0.00} ms; harness lateness p99 {floor.Lateness.Percentile(99):0.00} ms; achieved {floor.AchievedRate:N0}/s; max {floor.Latencies.Percentile(100):0.0} ms; machine {floor.MachineBusy:P0} busy"));
        var ratio = checkP99 / Math.Max(floorP99, 0.001);
        run.Record(new Measurement(Name, size, $"quota check p99 / floor p99 at {rate:N0}/s, RateLimiting:Store={store}", ratio, "x", production ? $"≤ {FloorRatioTarget}" : "informative (contrast)",
            production ? ratio <= FloorRatioTarget : null, $"{rounds} alternating round(s) of {roundLength.TotalSeconds:0} s each, each round of checks after 1 s of checks not measured"));
        run.Record(new Measurement(Name, size, $"{label}: errors", checks.Errors, "requests", "0", checks.Errors == 0,
            $"{checks.Sent:N0} sent; {refusedByQuota():N0} answered 429 by the quota (right answers); floor errors {floor.Errors}"));
        // Both at the same rate over the same time, background work included alike: the difference is what a check adds.
        run.Record(new Measurement(Name, size, $"CPU of the instances per quota check less per /health/live at {rate:N0}/s (API key, rate limiter {(production ? "in Redis" : "in memory")}, check in Redis, JSON)",
            checks.CpuMicroseconds - floor.CpuMicroseconds, "µs", "informative", null,
            $"{checks.CpuMicroseconds:0} µs per check, {floor.CpuMicroseconds:0} µs per /health/live: the instances' CPU over the rounds / requests, their background work included; "
            + $"the harness's own {checks.HarnessMicroseconds:0} / {floor.HarnessMicroseconds:0} µs"));
        run.Record(new Measurement(Name, size, $"CPU of the servers per quota check less per /health/live at {rate:N0}/s, RateLimiting:Store={store}: redis-server", checks.RedisMicroseconds - floor.RedisMicroseconds, "µs", "informative", null,
            $"postgres processes {checks.PostgresMicroseconds - floor.PostgresMicroseconds:0} µs; all their clients count (the servers are shared); machine {checks.MachineBusy:P0} busy in the check rounds, {floor.MachineBusy:P0} in the floor's"));
    }

    // One open-loop run, and what it cost: the instances' CPU time, the harness's own, and the machine's busy share.
    private static async Task<Round> DriveAsync(PortalCluster cluster, int rate, TimeSpan duration,
        Func<HttpClient, long, CancellationToken, Task<bool>> send, CancellationToken cancellationToken)
    {
        var driver = new FixedRateDriver(rate, duration, senders: 96);
        var (portals, harness, machine) = (cluster.ProcessorTime(), HarnessCpu(), MachineCpu.Now());
        var (redis, postgres) = (ProcessGroupCpu.Of("redis-server"), ProcessGroupCpu.Of("postgres"));
        await driver.RunAsync((i, ct) => send(cluster.Client(i), i, ct), cancellationToken);
        return new Round(driver, (cluster.ProcessorTime() - portals).TotalMicroseconds, (HarnessCpu() - harness).TotalMicroseconds, MachineCpu.Now().BusySince(machine),
            (ProcessGroupCpu.Of("redis-server") - redis)?.TotalMicroseconds ?? 0, (ProcessGroupCpu.Of("postgres") - postgres)?.TotalMicroseconds ?? 0);
    }

    private static TimeSpan HarnessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private sealed record Round(FixedRateDriver Driver, double PortalMicroseconds, double HarnessMicroseconds, double MachineBusy, double RedisMicroseconds, double PostgresMicroseconds);

    // The open-loop runs of one kind of request, taken together.
    private sealed class Rounds
    {
        private double _portalMicroseconds;
        private double _harnessMicroseconds;
        private double _redisMicroseconds;
        private double _postgresMicroseconds;
        private double _rates;
        private double _busy;
        private int _count;

        public LatencyRecorder Latencies { get; } = new();

        public LatencyRecorder Lateness { get; } = new();

        public int Errors { get; private set; }

        public int Sent { get; private set; }

        public double AchievedRate => _count == 0 ? 0 : _rates / _count;

        // The instances' CPU per request, their background work included.
        public double CpuMicroseconds => _portalMicroseconds / Math.Max(1, Sent);

        public double HarnessMicroseconds => _harnessMicroseconds / Math.Max(1, Sent);

        public double MachineBusy => _count == 0 ? 0 : _busy / _count;

        // The servers' processes (every client's use of them counts).
        public double RedisMicroseconds => _redisMicroseconds / Math.Max(1, Sent);

        public double PostgresMicroseconds => _postgresMicroseconds / Math.Max(1, Sent);

        public void Add(Round round)
        {
            Latencies.Add(round.Driver.Latencies);
            Lateness.Add(round.Driver.Lateness);
            Errors += round.Driver.Errors;
            Sent += round.Driver.Sent;
            _rates += round.Driver.AchievedRate;
            _busy += round.MachineBusy;
            _count++;
            _portalMicroseconds += round.PortalMicroseconds;
            _harnessMicroseconds += round.HarnessMicroseconds;
            _redisMicroseconds += round.RedisMicroseconds;
            _postgresMicroseconds += round.PostgresMicroseconds;
        }
    }

    // A batch acknowledged by one instance, then a check on another instance right after the 202.
    private async Task CheckVisibilityAsync(LoadRun run, PortalCluster cluster, IReadOnlyList<string> keys, int rounds, string size, CancellationToken cancellationToken)
    {
        const int batch = 5;
        var visible = 0;
        for (var round = 0; round < rounds; round++)
        {
            var key = keys[round % keys.Count];
            var (acknowledging, checking) = (cluster.Client(round), cluster.Client(round + Instances - 1));
            var before = await UsedApiCallsAsync(checking, key, cancellationToken);
            var at = DateTimeOffset.UtcNow.ToString("O");
            var events = string.Join(",", Enumerable.Range(0, batch).Select(j => $"{{\"id\":\"vis-{round}-{j}\",\"metric\":\"api_calls\",\"quantity\":1,\"timestamp\":\"{at}\"}}"));
            using var ingest = new HttpRequestMessage(HttpMethod.Post, "api/v1/usage") { Content = new StringContent($"{{\"events\":[{events}]}}", Encoding.UTF8, "application/json") };
            ingest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var accepted = await acknowledging.SendAsync(ingest, cancellationToken);
            if (accepted.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"The ingest answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync(cancellationToken)}");
            var after = await UsedApiCallsAsync(checking, key, cancellationToken);
            if (after - before == batch)
                visible++;
        }
        run.Record(new Measurement(Name, size, "batch acknowledged (202) by one instance, counted by a check on another right after", visible, $"of {rounds}",
            $"{rounds} of {rounds}", visible == rounds, $"{batch} api_calls per batch; instance i acknowledges, instance i+2 (mod {Instances}) checks"));
    }

    private static async Task<decimal> UsedApiCallsAsync(HttpClient client, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/quota/check") { Content = new StringContent("{\"metric\":\"api_calls\",\"amount\":0}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"The quota check answered {(int)response.StatusCode}: {text}");
        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("used").GetDecimal();
    }

    // The Free tenant far above its limit through the three instances, after a warm-up and a pause that empties its window.
    private async Task MeasureLimiterAsync(LoadRun run, PortalCluster cluster, string key, TimeSpan duration, RateLimitStore store, string size, CancellationToken cancellationToken)
    {
        await RateLimitDrive.RunAsync(cluster, key, LimiterCallers, TimeSpan.FromSeconds(1), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        var drive = await RateLimitDrive.RunAsync(cluster, key, LimiterCallers, duration, cancellationToken);
        var seconds = drive.Elapsed.TotalSeconds;
        var shared = store == RateLimitStore.Redis;
        var label = $"rate limit {FreeTierLimit}/s over {Instances} instances, RateLimiting:Store={store}{(shared ? "" : $", Instances={Instances} (each ⌈{FreeTierLimit}/{Instances}⌉)")}";
        run.Record(new Measurement(Name, size, $"{label}: accepted per second (accepted / elapsed)", drive.Accepted / seconds, "req/s", "informative", null,
            $"{drive.Accepted:N0} accepted and {drive.Refused:N0} refused of {drive.Sent:N0} sent ({drive.Sent / seconds:N0}/s offered by {LimiterCallers} callers) in {seconds:0.0} s"));
        var certain = drive.MostCertainlyInAnySecond();
        run.Record(new Measurement(Name, size, $"{label}: most accepted in any 1 s (sent and answered inside it)", certain, "requests",
            shared ? $"≤ {FreeTierLimit}" : "informative (contrast)", shared ? certain <= FreeTierLimit : null,
            "client-side times: a lower bound of what the limiter granted in that second"));
        run.Record(new Measurement(Name, size, $"{label}: most accepted in any 1 s (by answer time)", drive.MostAnsweredInAnySecond(), "requests", "informative", null,
            $"an answer lags its decision by up to the slowest accepted round trip, {drive.LongestAcceptedRoundTrip().TotalMilliseconds:0} ms"));
        run.Record(new Measurement(Name, size, $"{label}: accuracy (accepted / (limit × seconds))", drive.Accepted / (FreeTierLimit * seconds), "", "informative", null,
            "1 = the limit exactly; above 1 lets more through than the limit"));
        var wrong = drive.RefusedWithoutRetryAfter + drive.Errors;
        run.Record(new Measurement(Name, size, $"{label}: refusals not a 429 with Retry-After, and other answers", wrong, "requests", "0", wrong == 0,
            $"{drive.Refused:N0} refusals (429, problem body), {drive.RefusedWithoutRetryAfter:N0} of them without Retry-After; {drive.Errors:N0} other answers or failures"));
    }
}
