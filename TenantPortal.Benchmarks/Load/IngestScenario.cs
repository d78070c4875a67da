using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// <c>POST /api/v1/usage</c> under load: 8 tenants (Starter and Professional) with an API key each, 8 concurrent
/// clients posting batches of 500 fresh events. The sustained run measures events/s (202s only) and the batch
/// latency; the growth runs send a fixed number of events on the same, growing table. After each run the events
/// stored in the database must equal the events accepted: nothing lost, nothing counted twice.
/// </summary>
public sealed class IngestScenario : ILoadScenario
{
    private const int Clients = 8;
    private const int BatchSize = 500;
    // The issue's targets: 100,000 events/s on SQLite (one process, group commit); 50,000 on one PostgreSQL server.
    private const double SqliteTargetEventsPerSecond = 100_000;
    private const double PostgreSqlTargetEventsPerSecond = 50_000;

    /// <inheritdoc />
    public string Name => "ingest";

    /// <inheritdoc />
    public async Task RunAsync(LoadRun run, CancellationToken cancellationToken)
    {
        var targetEventsPerSecond = run.Provider == LoadProvider.PostgreSql ? PostgreSqlTargetEventsPerSecond : SqliteTargetEventsPerSecond;
        var sustained = run.Quick ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(60);
        long[] growthSizes = run.Quick ? [5_000, 15_000, 45_000] : [100_000, 1_000_000, 6_000_000];

        var folder = run.NewFolder(Name);
        long acceptedSoFar0;
        var database = await LoadDatabase.CreateAsync(run, folder, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var tenants = await database.AddTenantsAsync(
            Enumerable.Range(0, Clients).Select(i => ($"ingest-{i}", i % 2 == 0 ? SubscriptionTier.Starter : SubscriptionTier.Professional)),
            now.AddDays(-40), now, cancellationToken);
        var keys = new List<string>();
        foreach (var tenant in tenants)
            keys.Add(await database.AddApiKeyAsync(tenant, now, cancellationToken));

        // The store alone, in this process, before the portal starts: what the HTTP path adds is the difference.
        acceptedSoFar0 = await MeasureStoreAsync(run, database, tenants, now, cancellationToken);

        await using var portal = await PortalProcess.StartAsync(database, folder, cancellationToken: cancellationToken);
        using var http = portal.CreateClient(maxConnections: Clients * 2);
        var runId = Guid.NewGuid().ToString("N")[..8];

        // Warm-up (JIT, connections, key cache): not measured, but its events count in the stored total.
        var warmup = new IngestRun(http, keys, $"{runId}w", BatchSize);
        await warmup.RunAsync(Clients, Clients * 4L * BatchSize, null, cancellationToken);
        var acceptedSoFar = acceptedSoFar0 + warmup.Accepted;

        var size = $"{Clients} clients x {BatchSize}/batch, {sustained.TotalSeconds:0} s";
        var main = new IngestRun(http, keys, $"{runId}m", BatchSize);
        run.Log($"ingest: sustained run, {size}");
        var (portalCpu, harnessCpu) = (CpuTime(portal.ProcessId), CpuTime(Environment.ProcessId));
        await main.RunAsync(Clients, null, sustained, cancellationToken);
        var rate = main.Accepted / main.Elapsed.TotalSeconds;
        // CPU spent per event: unlike events/s, it hardly depends on what else runs on the machine.
        var portalPerEvent = (CpuTime(portal.ProcessId) - portalCpu).TotalMicroseconds / Math.Max(1, main.Accepted);
        var harnessPerEvent = (CpuTime(Environment.ProcessId) - harnessCpu).TotalMicroseconds / Math.Max(1, main.Accepted);
        run.Record(new Measurement(Name, size, "portal CPU per event (HTTP, auth, parse, validate, insert, commit)", portalPerEvent, "us", "informative", null,
            $"the load clients used {harnessPerEvent:0.0} us/event; {Environment.ProcessorCount} cores alone would carry at most {Environment.ProcessorCount * 1_000_000 / (portalPerEvent + harnessPerEvent):N0} ev/s"));
        run.Record(new Measurement(Name, size, "events/s accepted (202, durable)", rate, "ev/s", $">= {targetEventsPerSecond:N0}", rate >= targetEventsPerSecond,
            $"{main.Accepted:N0} events in {main.Batches:N0} batches over {main.Elapsed.TotalSeconds:0.0} s"));
        run.Record(new Measurement(Name, size, "batch latency p50", main.Latency.Percentile(50), "ms", "informative", null));
        run.Record(new Measurement(Name, size, "batch latency p95", main.Latency.Percentile(95), "ms", "informative", null));
        run.Record(new Measurement(Name, size, "batch latency p99", main.Latency.Percentile(99), "ms", "informative", null));
        acceptedSoFar += main.Accepted;
        await RecordIntegrityAsync(run, database, size, main, acceptedSoFar, cancellationToken);

        // How cost grows: fixed numbers of events, each run on top of the rows before it.
        var perEvent = new List<(long Events, double MicrosecondsPerEvent)>();
        foreach (var events in growthSizes)
        {
            var growthSize = $"{events:N0} events";
            var growth = new IngestRun(http, keys, $"{runId}g{events}", BatchSize);
            run.Log($"ingest: growth run, {growthSize}");
            await growth.RunAsync(Clients, events, null, cancellationToken);
            acceptedSoFar += growth.Accepted;
            var microseconds = growth.Elapsed.TotalMicroseconds / Math.Max(1, growth.Accepted);
            perEvent.Add((events, microseconds));
            run.Record(new Measurement(Name, growthSize, "time to ingest", growth.Elapsed.TotalSeconds, "s", "informative", null,
                $"{growth.Accepted / growth.Elapsed.TotalSeconds:N0} ev/s; {microseconds:0.00} us/event; table then {acceptedSoFar:N0} rows; p99 {growth.Latency.Percentile(99):0} ms"));
            await RecordIntegrityAsync(run, database, growthSize, growth, acceptedSoFar, cancellationToken);
        }
        var (smallest, largest) = (perEvent[0], perEvent[^1]);
        var ratio = largest.MicrosecondsPerEvent / smallest.MicrosecondsPerEvent;
        run.Record(new Measurement(Name, $"{smallest.Events:N0} -> {largest.Events:N0} events", "time growth / size growth", ratio, "",
            "<= 1.2 (linear or better)", ratio <= 1.2,
            $"{largest.Events / smallest.Events}x the events took {ratio * largest.Events / smallest.Events:0.0}x the time"));
    }

    // IUsageEventStore.InsertNewAsync as the portal registers it (AddDataServices), 8 concurrent writers of 500-event
    // batches, no HTTP: events/s and latency of the statement path alone (barrier, tenant setting, insert, commit).
    private async Task<long> MeasureStoreAsync(LoadRun run, LoadDatabase database, IReadOnlyList<Guid> tenants, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var batchesPerClient = run.Quick ? 20 : 200;
        await using var services = JobHost.Build(database, now);
        var latency = new LatencyRecorder();
        long stored = 0;
        async Task WriteAsync(int client, int batches, LatencyRecorder? recorder)
        {
            for (var b = 0; b < batches; b++)
            {
                var events = Enumerable.Range(0, BatchSize)
                    .Select(i => new UsageEventInput($"store-{client}-{b}-{(recorder is null ? "w" : "m")}-{i:D6}", i % 4 == 3 ? UsageMetric.GpuHours : UsageMetric.ApiCalls,
                        i % 4 == 3 ? 0.25m : 1m, now.AddSeconds(-1)))
                    .ToList();
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await using var scope = services.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<IUsageEventStore>().InsertNewAsync(tenants[client % tenants.Count], events, now, cancellationToken);
                recorder?.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started));
                Interlocked.Add(ref stored, result.Count);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(() => WriteAsync(c, 2, null), cancellationToken)));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cpu = CpuTime(Environment.ProcessId);
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(() => WriteAsync(c, batchesPerClient, latency), cancellationToken)));
        var elapsed = clock.Elapsed;
        var timed = (long)Clients * batchesPerClient * BatchSize;
        var size = $"{Clients} writers x {BatchSize}/batch, {timed:N0} events, in process";
        run.Record(new Measurement(Name, size, "store alone (IUsageEventStore, no HTTP): events/s committed", timed / elapsed.TotalSeconds, "ev/s", "informative", null,
            $"{elapsed.TotalSeconds:0.0} s; harness CPU {(CpuTime(Environment.ProcessId) - cpu).TotalMicroseconds / timed:0.0} us/event (building batches, Npgsql/SQLite client)"));
        run.Record(new Measurement(Name, size, "store alone: batch p50", latency.Percentile(50), "ms", "informative", null));
        run.Record(new Measurement(Name, size, "store alone: batch p99", latency.Percentile(99), "ms", "informative", null));
        if (stored != timed + (long)Clients * 2 * BatchSize)
            throw new InvalidOperationException($"The store reported {stored:N0} events stored, expected {timed + (long)Clients * 2 * BatchSize:N0}.");
        return stored;
    }

    private static TimeSpan CpuTime(int processId)
    {
        using var process = System.Diagnostics.Process.GetProcessById(processId);
        return process.TotalProcessorTime;
    }

    // Every event accepted is stored once, and every error is a failure line.
    private async Task RecordIntegrityAsync(LoadRun run, LoadDatabase database, string size, IngestRun ingest, long acceptedSoFar, CancellationToken cancellationToken)
    {
        var stored = await database.CountEventsAsync(cancellationToken);
        run.Record(new Measurement(Name, size, "events stored = events accepted", stored, "rows", $"= {acceptedSoFar:N0}", stored == acceptedSoFar,
            $"{ingest.Duplicates:N0} reported as duplicates (expected 0)"));
        var errors = ingest.Errors;
        run.Record(new Measurement(Name, size, "non-202 answers", errors.Count, "", "0", errors.Count == 0));
        foreach (var (error, times) in errors.GroupBy(e => e).Select(g => (g.Key, g.Count())).Take(5))
            run.Record(new Measurement(Name, size, "failure", times, "times", "none", false, error));
    }
}
