using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using TenantPortal.Benchmarks.Load;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Entitlements;

namespace TenantPortal.Benchmarks;

/// <summary>
/// <see cref="EntitlementService.CheckAsync"/> as the portal calls it in process: 1,000 tenants in a SQLite file (a quarter
/// on each tier), every other one with an operator's override of one feature (half of them with an expiry, evaluated at
/// each check), checked across all tenants and features once their state is cached. Each call is also timed on its own
/// with <see cref="Stopwatch"/>; the single-call percentiles are printed at the end of the run (the batch iterations'
/// statistics are per-call means over 1,000 calls).
/// </summary>
[MemoryDiagnoser]
public class EntitlementBenchmarks
{
    /// <summary>Tenants checked.</summary>
    public const int Tenants = 1_000;

    /// <summary>Calls in one iteration.</summary>
    public const int BatchSize = 1_000;

    private static readonly string[] Features = [.. EntitlementFeatures.All.Select(f => f.Name)];

    private string _folder = null!;
    private EntitlementService _service = null!;
    private Guid[] _tenants = null!;
    private long[] _ticks = new long[4_000_000];
    private int _recorded;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var now = TimeProvider.System.GetUtcNow();
        _folder = Path.Combine(Path.GetTempPath(), $"tenantportal-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        var database = await LoadDatabase.CreateSqliteAsync(_folder);
        var tiers = Enum.GetValues<SubscriptionTier>();
        _tenants = [.. await database.AddTenantsAsync(Enumerable.Range(0, Tenants).Select(i => ($"ent-{i:D4}", tiers[i % tiers.Length])), now.AddMonths(-1), now)];
        await using (var db = database.CrossTenant())
        {
            for (var i = 0; i < Tenants; i += 2)
            {
                db.EntitlementOverrides.Add(new EntitlementOverride
                {
                    TenantId = _tenants[i], Feature = Features[i % Features.Length], Enabled = true,
                    Limit = Features[i % Features.Length] == EntitlementFeatures.MaxApiKeys ? 100 : null,
                    ExpiresAt = i % 4 == 0 ? now.AddDays(30) : null, Reason = "benchmark", CreatedAt = now, CreatedBy = "benchmark",
                });
            }
            await db.SaveChangesAsync();
        }
        var contexts = new LoadContextFactory(database, null, "benchmark: entitlement loads");
        _service = new EntitlementService(contexts, PlanEntitlements.Defaults, new EntitlementCache(TimeProvider.System), TimeProvider.System);
        foreach (var tenant in _tenants)
        {
            var first = await _service.CheckAsync(tenant, EntitlementFeatures.Sso, CancellationToken.None);
            if (!first.IsSuccess)
                throw new InvalidOperationException($"Seeding went wrong: {first.Error}.");
        }
    }

    [Benchmark(Description = "CheckAsync(tenant, feature), cached, per call in batches of 1,000", OperationsPerInvoke = BatchSize)]
    public async ValueTask<bool> CheckBatch()
    {
        var enabled = false;
        for (var i = 0; i < BatchSize; i++)
        {
            var n = _next++;
            var start = Stopwatch.GetTimestamp();
            var result = await _service.CheckAsync(_tenants[n % Tenants], Features[n % Features.Length], CancellationToken.None);
            var elapsed = Stopwatch.GetTimestamp() - start;
            if (_recorded < _ticks.Length)
                _ticks[_recorded++] = elapsed;
            enabled ^= result.IsSuccess ? result.Value.Enabled : throw new InvalidOperationException($"The check failed: {result.Error}.");
        }
        return enabled;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var calls = _ticks.AsSpan(0, _recorded).ToArray();
        Array.Sort(calls);
        double Micro(double q) => calls.Length == 0 ? 0 : calls[Math.Min(calls.Length - 1, (int)Math.Ceiling(q * calls.Length) - 1)] * 1_000_000.0 / Stopwatch.Frequency;
        Console.WriteLine(FormattableString.Invariant(
            $"// Entitlement check, single calls (Stopwatch, {calls.Length:N0} calls incl. warm-up): p50 {Micro(0.50):0.000} µs, p99 {Micro(0.99):0.000} µs, p99.9 {Micro(0.999):0.000} µs, max {Micro(1.0):0.0} µs"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
