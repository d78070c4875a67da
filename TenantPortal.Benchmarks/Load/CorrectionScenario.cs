using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Metering.Corrections;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// A usage correction at scale, in process: on a tenant with a million events this period (rolled up), one correction
/// of 1,000 events (half voids, half amends) through <see cref="UsageCorrectionService"/>, then the rollup runs that
/// take its compensating events in; timed together against 1 s. Checked after: every event counted once per
/// granularity with exact sums, and the month's API calls changed by exactly the correction's net effect.
/// </summary>
public sealed class CorrectionScenario : ILoadScenario
{
    /// <summary>The scenario's name.</summary>
    public const string ScenarioName = "correction";

    private const int Corrected = 1_000;
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    /// <inheritdoc />
    public string Name => ScenarioName;

    /// <inheritdoc />
    public async Task RunAsync(LoadRun run, CancellationToken cancellationToken)
    {
        var size = run.Quick ? 100_000L : 1_000_000L;
        var database = await LoadDatabase.CreateAsync(run, run.NewFolder(Name), cancellationToken);
        var tenantId = await database.AddTenantAsync("c00000", SubscriptionTier.Professional, Now.AddMonths(-2), Now, cancellationToken);
        var arrange = Stopwatch.StartNew();
        await EventGenerator.InsertAsync(database, 0, size, PeriodMath.MonthStart(Now), Now.AddHours(-1), Now, cancellationToken: cancellationToken);
        run.Log($"correction: {size:N0} events generated in {arrange.Elapsed.TotalSeconds:N1} s");
        await using var services = JobHost.Build(database, Now);
        await RollUpAsync(services, cancellationToken);
        var before = await MonthApiCallsAsync(services, tenantId, cancellationToken);

        // API call events (the generator's numbers that are neither gauge nor GPU), spread over the table.
        var items = new List<UsageCorrectionItem>(Corrected);
        for (long n = 1, step = size / (Corrected * 2); items.Count < Corrected; n += step)
        {
            if (n % 10 == 0)
                n++;
            items.Add(items.Count % 2 == 0
                ? new UsageCorrectionItem($"gen-{n}", UsageCorrectionAction.Void)
                : new UsageCorrectionItem($"gen-{n}", UsageCorrectionAction.Amend, 7));
        }
        var key = new ApiKeyActor(Guid.NewGuid(), tenantId, "benchmark", "tp_bench", [ApiKeyScopes.UsageWrite]);
        var actor = Actor.ForApiKey(key, "benchmark-user", "benchmark@example.test", null);

        // Warm-up, not measured: a correction of one other event and its revert, so that EF Core's one-time query and
        // update compilation in this process is not counted (the portal pays it once, not per correction).
        await using (var warm = services.CreateAsyncScope())
        {
            warm.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
            var corrections = warm.ServiceProvider.GetRequiredService<UsageCorrectionService>();
            var warmed = await corrections.CreateAsync(actor, new UsageCorrectionRequest("warm-up", "benchmark warm-up",
                [new UsageCorrectionItem("gen-3", UsageCorrectionAction.Void), new UsageCorrectionItem("gen-7", UsageCorrectionAction.Amend, 1)]), cancellationToken);
            if (!warmed.IsSuccess || !(await corrections.RevertAsync(actor, "warm-up", null, cancellationToken)).IsSuccess)
                throw new InvalidOperationException("The warm-up correction failed.");
        }
        await RollUpAsync(services, cancellationToken);

        var clock = Stopwatch.StartNew();
        await using (var scope = services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
            var result = await scope.ServiceProvider.GetRequiredService<UsageCorrectionService>()
                .CreateAsync(actor, new UsageCorrectionRequest("bench-1", "benchmark", items), cancellationToken);
            if (!result.IsSuccess)
                throw new InvalidOperationException($"The correction was refused: {result.Error!.Message}");
            before += result.Value.Correction.Events.Sum(e => e.Delta);
        }
        var corrected = clock.Elapsed;
        var runs = await RollUpAsync(services, cancellationToken);
        var elapsed = clock.Elapsed;

        var after = await MonthApiCallsAsync(services, tenantId, cancellationToken);
        if (after != before)
            throw new InvalidOperationException($"The month's API calls are {after}, expected {before}.");
        // The warm-up's two compensating events and their two opposites, then the timed correction's.
        var check = await RollupCheck.VerifyAsync(database, size + 4 + Corrected, cancellationToken);
        run.Record(new Measurement(Name, $"{Corrected:N0} of {size:N0} events", "correction + rollup time", elapsed.TotalMilliseconds, "ms", "≤ 1,000 ms",
            elapsed.TotalMilliseconds <= 1_000, $"{runs} rollup run(s); month's API calls exact; {check}"));
        run.Record(new Measurement(Name, $"{Corrected:N0} of {size:N0} events", "of which the correction (checks, one transaction, notices)",
            corrected.TotalMilliseconds, "ms", "informative", null));
        run.Record(new Measurement(Name, $"{Corrected:N0} of {size:N0} events", "of which the rollup of its 1,000 compensating events",
            (elapsed - corrected).TotalMilliseconds, "ms", "informative", null));
    }

    private static async Task<decimal> MonthApiCallsAsync(IServiceProvider services, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        var decision = await scope.ServiceProvider.GetRequiredService<QuotaService>().CheckAsync(UsageMetric.ApiCalls, 0, cancellationToken);
        return decision.Value.Used;
    }

    private static async Task<int> RollUpAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var runs = 0;
        RollupRun result;
        do
        {
            result = await services.RunAsync<MeteringRollupService, RollupRun>(s => s.RunAsync(cancellationToken));
            runs++;
        }
        while (result.Full);
        return runs;
    }
}
