using BenchmarkDotNet.Attributes;
using TenantPortal.Benchmarks.Infrastructure;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Benchmarks;

/// <summary>
/// <see cref="QuotaService.CheckAsync"/> for gpu_hours for a Starter tenant with 100,000 events stored this month
/// (a quarter each of api_calls, gpu_hours, storage_gb and studies), read from a SQLite file.
/// </summary>
[MemoryDiagnoser]
public class QuotaCheckBenchmarks
{
    /// <summary>Events stored for the tenant in the current month.</summary>
    public const int StoredEvents = 100_000;

    private const int SeedBatchSize = 1_000;
    private const decimal Quantity = 0.25m;
    private static readonly UsageMetric[] Metrics = [UsageMetric.ApiCalls, UsageMetric.GpuHours, UsageMetric.StorageGb, UsageMetric.Studies];

    private BenchmarkDatabase _database = null!;
    private QuotaService _quotas = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var now = TimeProvider.System.GetUtcNow();
        _database = await BenchmarkDatabase.CreateAsync(now, CancellationToken.None);
        await using var writer = new SqliteUsageWriter(_database.ConnectionString, synchronousFull: false);
        var store = new SqliteUsageEventStore(writer);

        // Spread evenly from the start of the month to a minute ago, so every event counts in this period.
        var start = PeriodMath.MonthStart(now);
        var step = (now.AddMinutes(-1) - start) / StoredEvents;
        for (var first = 0; first < StoredEvents; first += SeedBatchSize)
        {
            var batch = Enumerable.Range(first, SeedBatchSize)
                .Select(n => new UsageEventInput($"seed-{n:D6}", Metrics[n % Metrics.Length], Quantity, start + step * n))
                .ToList();
            await store.InsertNewAsync(_database.TenantId, batch, now, CancellationToken.None);
        }

        _quotas = new QuotaService(_database.Contexts, TimeProvider.System);
        var decision = await CheckGpuHours();
        const decimal expected = StoredEvents / 4 * Quantity;
        if (decision.Used != expected)
            throw new InvalidOperationException($"Seeding went wrong: {decision.Used} gpu_hours used, {expected} expected.");
    }

    [Benchmark(Description = "CheckAsync(gpu_hours, 1), 100k events")]
    public async Task<QuotaDecision> CheckGpuHours()
    {
        var result = await _quotas.CheckAsync(UsageMetric.GpuHours, 1, CancellationToken.None);
        return result.IsSuccess ? result.Value : throw new InvalidOperationException($"The check failed: {result.Error}.");
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _database.DisposeAsync();
}
