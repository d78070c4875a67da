using System.Collections.Concurrent;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// Concurrent Blazor Server circuits on the Usage tab with its live refresh (re-read every 10 s), driven by
/// <see cref="BlazorCircuitClient"/> over SignalR, in steps of circuits opened with limited concurrency. At each step every
/// circuit navigates to the Overview tab and back once while the others stay open; the update round trip is from the
/// <c>OnLocationChanged</c> sent to the render batch that shows the loaded tab. Memory per circuit is the portal's working
/// set after the step's circuits opened and settled, less its working set before the first circuit, over the circuits open.
/// The full run measures 1,000 circuits (the round-trip target) and then 5,000 (open without error, memory per circuit; at
/// 5,000 a sample of 1,000 circuits navigates, at the same rate as the 1,000 step), unless circuits failed or memory runs
/// short. <c>LOAD_CIRCUIT_STEPS</c> (e.g. <c>200</c> or <c>1000,2000</c>) replaces the steps, for profiling a given size
/// (e.g. with <c>dotnet-gcdump</c> while it holds); <c>LOAD_CIRCUIT_DUMP=/path/prefix</c> writes the prerendered Usage and
/// Overview pages to <c>prefix-usage.html</c> and <c>prefix-overview.html</c>, to compare markup before and after a change.
/// </summary>
public sealed class CircuitScenario : ILoadScenario
{
    private const string UsageShows = "usage-bars";
    private const string OverviewShows = "card-plan";
    private const double TargetP95Ms = 300;
    private const double TargetKbPerCircuit = 500;
    private const int NavigatingCircuits = 1_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public string Name => "circuits";

    // The next step would need (memory per circuit so far) x (circuits more); it must fit in 70 % of what the machine has free.
    private static bool MemoryAllows(PortalProcess portal, long baseline, int open, int target, out string reason)
    {
        var perCircuit = Math.Max(0, portal.WorkingSetBytes() - baseline) / (double)open;
        var needed = perCircuit * (target - open);
        var available = AvailableBytes();
        reason = $"{target - open:N0} more circuits at {perCircuit / 1024:N0} KB each need {needed / 1_073_741_824:0.0} GiB; {available / 1_073_741_824.0:0.0} GiB available";
        return needed < available * 0.7;
    }

    private static long AvailableBytes()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal)) : null;
        return line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb)
            ? kb * 1024
            : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    /// <inheritdoc />
    public async Task RunAsync(LoadRun run, CancellationToken cancellationToken)
    {
        int[] steps = Environment.GetEnvironmentVariable("LOAD_CIRCUIT_STEPS") is { Length: > 0 } custom
            ? custom.Split(',').Select(int.Parse).ToArray()
            : run.Quick ? [30] : [1_000, 5_000];
        var hold = run.Quick ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(40);
        var historyDays = run.Quick ? 30 : 365;
        var folder = run.NewFolder(Name);
        var now = DateTimeOffset.UtcNow;
        var arranged = await PortalFleetArrangement.CreateAsync(folder, run.Quick ? 100 : 1_000, historyDays, now, cancellationToken);
        await using var portal = await PortalProcess.StartAsync(arranged.Database, folder, cancellationToken: cancellationToken);
        using var login = await PortalLogin.SignInAsync(portal.BaseAddress, PortalFleetArrangement.OwnerEmail, PortalFleetArrangement.OwnerPassword, cancellationToken);
        var usagePath = $"t/{PortalFleetArrangement.HistorySlug}/usage";
        var overviewPath = $"t/{PortalFleetArrangement.HistorySlug}";

        if (Environment.GetEnvironmentVariable("LOAD_CIRCUIT_DUMP") is { Length: > 0 } dump)
        {
            await File.WriteAllTextAsync(dump + "-usage.html", await login.Client.GetStringAsync(new Uri(portal.BaseAddress, usagePath), cancellationToken), cancellationToken);
            await File.WriteAllTextAsync(dump + "-overview.html", await login.Client.GetStringAsync(new Uri(portal.BaseAddress, overviewPath), cancellationToken), cancellationToken);
        }
        // Warm the portal (JIT, pools) with one circuit, closed again, before the baseline.
        await using (var warm = new BlazorCircuitClient(portal.BaseAddress))
        {
            await warm.StartAsync(login, usagePath, UsageShows, Timeout, cancellationToken);
            await warm.NavigateAsync(overviewPath, OverviewShows, Timeout, cancellationToken);
        }
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var baseline = portal.WorkingSetBytes();

        var circuits = new List<BlazorCircuitClient>();
        try
        {
            foreach (var target in steps)
            {
                var size = $"{target:N0} circuits";
                if (circuits.Count > 0 && !MemoryAllows(portal, baseline, circuits.Count, target, out var reason))
                {
                    run.Record(new Measurement(Name, size, "not attempted", 0, "", "informative", null, reason));
                    break;
                }
                var opens = new LatencyRecorder();
                var openErrors = new ConcurrentBag<string>();
                var batchesBefore = circuits.Sum(c => c.LiveBatches);
                run.Log($"{Name}: opening circuits {circuits.Count + 1:N0}–{target:N0}");
                var opening = Enumerable.Range(circuits.Count, target - circuits.Count).Select(_ => new BlazorCircuitClient(portal.BaseAddress)).ToList();
                circuits.AddRange(opening);
                await Parallel.ForEachAsync(opening, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (circuit, ct) =>
                {
                    try
                    {
                        opens.Add(await circuit.StartAsync(login, usagePath, UsageShows, Timeout, ct));
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException or System.Net.WebSockets.WebSocketException)
                    {
                        openErrors.Add(ex.Message);
                    }
                });
                if (!openErrors.IsEmpty)
                    run.Log($"{Name}: {openErrors.Count} circuit(s) failed to open, e.g. {openErrors.First()}");

                // Hold: every circuit (at most NavigatingCircuits of them, spread over the open ones) clicks to Overview and
                // back once, spread over the hold, while live refresh runs and the others stay open.
                var roundTrips = new LatencyRecorder();
                var interactionErrors = new ConcurrentBag<string>();
                var healthy = circuits.Where(c => c.Error is null).ToList();
                var navigating = healthy.Count <= NavigatingCircuits
                    ? healthy
                    : healthy.Where((_, i) => i % (healthy.Count / (double)NavigatingCircuits) < 1).Take(NavigatingCircuits).ToList();
                run.Log($"{Name}: {healthy.Count:N0} circuits open; {navigating.Count:N0} of them navigate over {hold.TotalSeconds:0} s");
                var liveBefore = circuits.Sum(c => c.LiveBatches);
                var jsBefore = circuits.Sum(c => c.JsCalls);
                var cpuBefore = portal.ProcessorTime();
                var holdStart = DateTimeOffset.UtcNow;
                await Parallel.ForEachAsync(navigating, new ParallelOptions { MaxDegreeOfParallelism = navigating.Count, CancellationToken = cancellationToken }, async (circuit, ct) =>
                {
                    try
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * hold.TotalMilliseconds * 0.6), ct);
                        roundTrips.Add(await circuit.NavigateAsync(overviewPath, OverviewShows, Timeout, ct));
                        await Task.Delay(TimeSpan.FromMilliseconds(1_000 + Random.Shared.NextDouble() * 2_000), ct);
                        roundTrips.Add(await circuit.NavigateAsync(usagePath, UsageShows, Timeout, ct));
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
                    {
                        interactionErrors.Add(ex.Message);
                    }
                });
                var rest = hold - (DateTimeOffset.UtcNow - holdStart);
                if (rest > TimeSpan.Zero)
                    await Task.Delay(rest, cancellationToken);
                var held = DateTimeOffset.UtcNow - holdStart;
                var portalCpu = portal.ProcessorTime() - cpuBefore;
                var live = circuits.Sum(c => c.LiveBatches) - liveBefore;
                var jsCalls = circuits.Sum(c => c.JsCalls) - jsBefore;
                var broken = circuits.Count(c => c.Error is not null);
                var errors = openErrors.Count + interactionErrors.Count + broken;
                var workingSet = portal.WorkingSetBytes();
                var memoryPerCircuit = (workingSet - baseline) / 1024.0 / circuits.Count;
                var p95 = roundTrips.Percentile(95);
                var atTarget = target == NavigatingCircuits;

                run.Record(new Measurement(Name, size, "circuits open without error", circuits.Count - broken - openErrors.Count, "", $"{target:N0}, no errors", errors == 0 && circuits.Count == target,
                    $"{openErrors.Count} failed to open, {interactionErrors.Count} interactions failed, {broken} circuits broke{(errors > 0 ? ": " + openErrors.Concat(interactionErrors).Concat(circuits.Where(c => c.Error is not null).Select(c => c.Error!)).First() : "")}"));
                run.Record(new Measurement(Name, size, "circuit open (GET + start until the Usage tab shows) p95", opens.Percentile(95), "ms", "informative", null, $"{opens.Count} opened, 16 at a time; p50 {opens.Percentile(50):0} ms"));
                run.Record(new Measurement(Name, size, "update round trip (tab navigation) p95", p95, "ms", atTarget ? $"≤ {TargetP95Ms} ms" : "informative", atTarget ? p95 <= TargetP95Ms && roundTrips.Count > 0 : null,
                    $"{roundTrips.Count} navigations by {navigating.Count:N0} circuits over {held.TotalSeconds:0} s, p50 {roundTrips.Percentile(50):0} ms, max {roundTrips.Percentile(100):0} ms"));
                run.Record(new Measurement(Name, size, "portal CPU per navigation (hold: navigations, live refresh, idle circuits)", roundTrips.Count == 0 ? 0 : portalCpu.TotalMilliseconds / roundTrips.Count, "ms", "informative", null,
                    $"{portalCpu.TotalSeconds:0.0} s of portal CPU over {held.TotalSeconds:0} s; {jsCalls / (double)Math.Max(1, roundTrips.Count):0.0} JS interop calls a navigation"));
                run.Record(new Measurement(Name, size, "render batches pushed per circuit outside navigations (start-up follow-ups, live refresh)", live / (double)Math.Max(1, circuits.Count), "", "informative", null,
                    $"{live:N0} pushed batches over {held.TotalSeconds:0} s (refresh every 10 s)"));
                run.Record(new Measurement(Name, size, "portal memory per circuit", memoryPerCircuit, "KB", $"≤ {TargetKbPerCircuit} KB (Microsoft: ~250–275 KB for a minimal page)", run.Quick ? null : memoryPerCircuit <= TargetKbPerCircuit,
                    $"working set {workingSet / 1_048_576.0:0} MiB vs {baseline / 1_048_576.0:0} MiB before the first circuit"));

                if (errors > 0)
                {
                    run.Log($"{Name}: stopping at {target:N0} circuits ({errors} errors, p95 {p95:0} ms); the portal's last lines:\n{portal.LogTail(15)}");
                    break;
                }
            }
        }
        finally
        {
            await Parallel.ForEachAsync(circuits, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (circuit, _) => await circuit.DisposeAsync());
        }
    }
}
