using BenchmarkDotNet.Attributes;
using TenantPortal.Benchmarks.Infrastructure;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Benchmarks;

/// <summary>
/// One batch of 500 new events through <see cref="UsageIngestionService"/> into a SQLite file: validation, in-batch
/// de-duplication and the usage writer's transaction (one batch alone in its group: no concurrency here), without HTTP
/// or JSON. The table grows by 500 rows a call.
/// </summary>
[MemoryDiagnoser]
public class IngestionBenchmarks
{
    /// <summary>Events in one batch.</summary>
    public const int BatchSize = 500;

    private static readonly UsageMetric[] Metrics = [UsageMetric.ApiCalls, UsageMetric.GpuHours, UsageMetric.StorageGb, UsageMetric.Studies];

    private BenchmarkDatabase _database = null!;
    private SqliteUsageWriter _writer = null!;
    private UsageIngestionService _ingestion = null!;
    private IReadOnlyList<UsageEventInput> _batch = [];
    private long _nextEvent;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await BenchmarkDatabase.CreateAsync(TimeProvider.System.GetUtcNow(), CancellationToken.None);
        _writer = new SqliteUsageWriter(_database.ConnectionString, synchronousFull: false);
        _ingestion = new UsageIngestionService(new SqliteUsageEventStore(_writer), [], TimeProvider.System);
    }

    // Ids are new on every call, so every event is inserted; building the batch is not measured.
    [IterationSetup]
    public void NextBatch()
    {
        var now = TimeProvider.System.GetUtcNow();
        var batch = new UsageEventInput[BatchSize];
        for (var i = 0; i < BatchSize; i++, _nextEvent++)
            batch[i] = new UsageEventInput($"evt-{_nextEvent:D12}", Metrics[_nextEvent % Metrics.Length], 1.5m, now.AddSeconds(-i));
        _batch = batch;
    }

    [Benchmark(Description = "IngestAsync, 500 new events")]
    public async Task<IngestResult> IngestBatch()
    {
        var result = await _ingestion.IngestAsync(_database.TenantId, _batch, CancellationToken.None);
        if (!result.IsSuccess || result.Value.Accepted != BatchSize)
            throw new InvalidOperationException($"The batch was not stored whole: {(result.IsSuccess ? result.Value : (object?)result.Error)}.");
        return result.Value;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _writer.DisposeAsync();
        await _database.DisposeAsync();
    }
}
