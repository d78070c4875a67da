using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The <c>metering-rollup</c> job at scale, in process: a full rollup of a month of events from an empty watermark at
/// three sizes (how cost grows; the largest held against 1 M events/s), then an incremental run of new events on top
/// of the largest (against 200 ms). Each run is checked: the hour, day and month rollups hold every event once and
/// their sums equal the events' exact sums, and every gauge rollup's latest reading and level-hours equal an independent
/// computation. Each timing comes with the process's CPU time and the load average (the machine is shared).
/// </summary>
public sealed class RollupScenario : ILoadScenario
{
    private const int Tenants = 1_000;
    private static readonly DateTimeOffset Month = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    /// <inheritdoc />
    public string Name => "rollup";

    /// <inheritdoc />
    public async Task RunAsync(LoadRun run, CancellationToken cancellationToken)
    {
        long[] sizes = run.Quick ? [50_000, 200_000, 500_000] : [100_000, 1_000_000, 10_000_000];
        var incremental = run.Quick ? 10_000 : 100_000;
        var times = new List<TimeSpan>();
        LoadDatabase? largest = null;
        foreach (var size in sizes)
        {
            var database = await LoadDatabase.CreateAsync(run, run.NewFolder($"{Name}-{size}"), cancellationToken);
            await database.AddTenantsAsync(Enumerable.Range(0, Tenants).Select(i => ($"r{i:D5}", SubscriptionTier.Professional)), Month.AddMonths(-1), Now, cancellationToken);
            var arrange = Stopwatch.StartNew();
            await EventGenerator.InsertAsync(database, 0, size, Month, Month.AddMonths(1), Month.AddMonths(1), cancellationToken: cancellationToken);
            run.Log($"rollup: {size:N0} events generated in {arrange.Elapsed.TotalSeconds:N1} s");

            await using var services = JobHost.Build(database, Now);
            var (elapsed, runs, cpu) = await RollUpAsync(services, cancellationToken);
            times.Add(elapsed);
            var check = await RollupCheck.VerifyAsync(database, size, cancellationToken);
            var rate = size / elapsed.TotalSeconds;
            var label = $"{size:N0} events";
            run.Record(new Measurement(Name, label, "full rollup time", elapsed.TotalSeconds, "s", size == sizes[^1] ? $"≤ {size / 1_000_000.0:0.##} s" : "informative",
                size == sizes[^1] ? rate >= 1_000_000 : null, $"{runs} run(s); {check}"));
            run.Record(new Measurement(Name, label, "full rollup throughput", rate, "events/s", "≥ 1,000,000", rate >= 1_000_000));
            run.Record(new Measurement(Name, label, "full rollup CPU time of the process", cpu.TotalSeconds, "s", "informative", null, $"load average {LoadAverage()}"));
            if (database.Provider == LoadProvider.Sqlite && size == sizes[^1])
                await ProfileReadAsync(run, database, label, cancellationToken);
            largest = database;
        }
        var ratio = times[^1].TotalSeconds / times[0].TotalSeconds / (sizes[^1] / (double)sizes[0]);
        run.Record(new Measurement(Name, $"{sizes[0]:N0} → {sizes[^1]:N0}", "time growth / size growth", ratio, "", "≤ 1.2 (linear or better)", null,
            string.Join(", ", sizes.Zip(times, (s, t) => $"{s:N0}: {t.TotalSeconds:N2} s"))));

        // New events on top of the rolled-up largest table: most of them fresh, a tenth late (back in the closed month).
        var total = sizes[^1];
        await EventGenerator.InsertAsync(largest!, total, incremental * 9 / 10, Now.AddHours(-1), Now, Now, cancellationToken: cancellationToken);
        await EventGenerator.InsertAsync(largest!, total + incremental * 9 / 10, incremental / 10, Month.AddDays(20), Month.AddDays(30), Now, cancellationToken: cancellationToken);
        await using (var services = JobHost.Build(largest!, Now))
        {
            var (elapsed, _, cpu) = await RollUpAsync(services, cancellationToken);
            var check = await RollupCheck.VerifyAsync(largest!, total + incremental, cancellationToken);
            run.Record(new Measurement(Name, $"{incremental:N0} new on {total:N0}", "incremental rollup time", elapsed.TotalMilliseconds, "ms", "≤ 200 ms",
                elapsed.TotalMilliseconds <= 200, check));
            run.Record(new Measurement(Name, $"{incremental:N0} new on {total:N0}", "incremental rollup CPU time of the process", cpu.TotalMilliseconds, "ms", "informative", null,
                $"load average {LoadAverage()}"));
        }
    }

    // The profile of a SQLite run's first step: one run's events read and summed by hash in process, timed alone (in a
    // transaction rolled back), so the rest of a run's time is the upsert and the level-hours.
    private async Task ProfileReadAsync(LoadRun run, LoadDatabase database, string label, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var aggregation = SqliteRollupAggregation.Read(connection, 0, SqliteRollupStore.RunSize, cancellationToken);
        var hours = aggregation.Levels()[0].Buckets.Count;
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        await transaction.RollbackAsync(cancellationToken);
        run.Record(new Measurement(Name, label, "of a run: read and hash-aggregate its events", clock.Elapsed.TotalMilliseconds, "ms", "informative", null,
            $"{aggregation.Events:N0} events into {hours:N0} hour buckets; CPU {cpu.TotalMilliseconds:N0} ms; load average {LoadAverage()}"));
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    // As the job does: runs until a run takes less than the most one run may take. Also the process's CPU time meanwhile
    // (the rollup is all the process does then): on a shared machine it varies far less than the elapsed time.
    private static async Task<(TimeSpan Elapsed, int Runs, TimeSpan Cpu)> RollUpAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var runs = 0;
        RollupRun result;
        do
        {
            result = await services.RunAsync<MeteringRollupService, RollupRun>(s => s.RunAsync(cancellationToken));
            runs++;
        }
        while (result.Full);
        return (clock.Elapsed, runs, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }
}
