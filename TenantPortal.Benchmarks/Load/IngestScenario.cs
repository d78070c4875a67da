using TenantPortal.Core.Tenants;

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
    private const double TargetEventsPerSecond = 100_000;

    /// <inheritdoc />
    public string Name => "ingest";

    /// <inheritdoc />
    public async Task RunAsync(LoadRun run, CancellationToken cancellationToken)
    {
        var sustained = run.Quick ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(60);
        long[] growthSizes = run.Quick ? [5_000, 15_000, 45_000] : [100_000, 1_000_000, 6_000_000];

        var folder = run.NewFolder(Name);
        var database = await LoadDatabase.CreateAsync(run, folder, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var tenants = await database.AddTenantsAsync(
            Enumerable.Range(0, Clients).Select(i => ($"ingest-{i}", i % 2 == 0 ? SubscriptionTier.Starter : SubscriptionTier.Professional)),
            now.AddDays(-40), now, cancellationToken);
        var keys = new List<string>();
        foreach (var tenant in tenants)
            keys.Add(await database.AddApiKeyAsync(tenant, now, cancellationToken));

        await using var portal = await PortalProcess.StartAsync(database, folder, cancellationToken: cancellationToken);
        using var http = portal.CreateClient(maxConnections: Clients * 2);
        var runId = Guid.NewGuid().ToString("N")[..8];

        // Warm-up (JIT, connections, key cache): not measured, but its events count in the stored total.
        var warmup = new IngestRun(http, keys, $"{runId}w", BatchSize);
        await warmup.RunAsync(Clients, Clients * 4L * BatchSize, null, cancellationToken);
        var acceptedSoFar = warmup.Accepted;

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
        run.Record(new Measurement(Name, size, "events/s accepted (202, durable)", rate, "ev/s", $">= {TargetEventsPerSecond:N0}", rate >= TargetEventsPerSecond,
            $"{main.Accepted:N0} events in {main.Batches:N0} batches over {main.Elapsed.TotalSeconds:0.0} s"));
        run.Record(new Measurement(Name, size, "batch latency p50", main.Latency.Percentile(50), "ms", "informative", null));
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
