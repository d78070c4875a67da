using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The <c>monthly-invoicing</c> job at scale on the local ledger, in process: tenants on mixed tiers (a quarter each of
/// Free, Starter, Professional, Enterprise; the Starter ones over their API-call quota), thirty events each in the
/// closed month, rolled up. Times the run at three sizes (the largest against 15 s for 10,000 tenants, issue 20) and the next
/// day's run, which finds everything invoiced. Each run is checked: one invoice per paid tenant and none for the Free ones
/// (nothing to bill), totals equal their lines.
/// </summary>
public sealed class InvoicingScenario : ILoadScenario
{
    private const int EventsPerTenant = 30;
    private static readonly DateTimeOffset Month = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly SubscriptionTier[] Tiers = [SubscriptionTier.Free, SubscriptionTier.Starter, SubscriptionTier.Professional, SubscriptionTier.Enterprise];

    /// <inheritdoc />
    public string Name => "invoicing";

    /// <inheritdoc />
    public async Task RunAsync(LoadRun run, CancellationToken cancellationToken)
    {
        int[] sizes = run.Quick ? [50, 200, 500] : [100, 1_000, 10_000];
        var times = new List<TimeSpan>();
        foreach (var size in sizes)
        {
            var database = await LoadDatabase.CreateAsync(run, run.NewFolder($"{Name}-{size}"), cancellationToken);
            await database.AddTenantsAsync(Enumerable.Range(0, size).Select(i => ($"i{i:D5}", Tiers[i % Tiers.Length])), Month, Now, cancellationToken);
            // 5,000–25,000 API calls an event: about 400,000 a month, over Starter's 100,000 and under Professional's million.
            await EventGenerator.InsertAsync(database, 0, (long)size * EventsPerTenant, Month, Month.AddMonths(1), Month.AddMonths(1),
                gaugeEvery: 15, apiScale: 5_000, cancellationToken: cancellationToken);
            await using var services = JobHost.Build(database, Now);
            while ((await services.RunAsync<MeteringRollupService, RollupRun>(s => s.RunAsync(cancellationToken))).Events > 0)
            {
            }

            // The process's CPU time besides the wall time: on a machine shared with other work the wall time says how
            // much CPU the run was given, the CPU time what it needed (on SQLite the database works in this process too).
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var summary = await services.RunAsync<InvoicingService, InvoicingSummary>(s => s.RunAsync(cancellationToken));
            var elapsed = clock.Elapsed;
            var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            times.Add(elapsed);
            var check = await VerifyAsync(database, size, summary, cancellationToken);
            var label = $"{size:N0} tenants";
            var isTarget = size == sizes[^1];
            var target = TimeSpan.FromSeconds(15) * (size / 10_000.0);
            run.Record(new Measurement(Name, label, "invoicing run time", elapsed.TotalSeconds, "s", isTarget ? $"≤ {target.TotalSeconds:0.##} s" : "informative",
                isTarget ? elapsed <= target : null, check));
            run.Record(new Measurement(Name, label, "invoicing run CPU time (harness process, every thread)", cpuUsed.TotalSeconds, "s", "informative", null,
                $"{cpuUsed.TotalMilliseconds / size:N2} ms a tenant"));

            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            var again = await services.RunAsync<InvoicingService, InvoicingSummary>(s => s.RunAsync(cancellationToken));
            if (again.Issued != 0)
                throw new InvalidOperationException($"The second run issued {again.Issued} invoices.");
            run.Record(new Measurement(Name, label, "next day's run (nothing due)", clock.Elapsed.TotalSeconds, "s", "informative", null,
                $"issued none; CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:N3} s"));
        }
        var ratio = times[^1].TotalSeconds / times[0].TotalSeconds / (sizes[^1] / (double)sizes[0]);
        run.Record(new Measurement(Name, $"{sizes[0]:N0} → {sizes[^1]:N0}", "time growth / size growth", ratio, "", "≤ 1.2 (linear or better)", null,
            string.Join(", ", sizes.Zip(times, (s, t) => $"{s:N0}: {t.TotalSeconds:N2} s"))));
    }

    private static async Task<string> VerifyAsync(LoadDatabase database, int tenants, InvoicingSummary summary, CancellationToken cancellationToken)
    {
        await using var db = database.CrossTenant();
        var invoices = await db.Invoices.AsNoTracking().Include(i => i.Lines).ToListAsync(cancellationToken);
        // Free tenants have nothing to bill and get no invoice; every paid tenant gets exactly one.
        var paid = Enumerable.Range(0, tenants).Count(i => Tiers[i % Tiers.Length] != SubscriptionTier.Free);
        var free = await db.Tenants.AsNoTracking().Where(t => t.Tier == SubscriptionTier.Free).Select(t => t.Id).ToListAsync(cancellationToken);
        if (invoices.Count != paid || summary.Issued != paid || invoices.Select(i => i.TenantId).Distinct().Count() != paid
            || invoices.Any(i => free.Contains(i.TenantId)))
            throw new InvalidOperationException($"Expected one invoice per paid tenant ({paid} of {tenants}) and none for a Free one, found {invoices.Count} (summary {summary.Issued}).");
        if (invoices.Any(i => i.PeriodStart != Month || i.Status is not (InvoiceStatus.Open or InvoiceStatus.Paid) || i.TotalCents != i.Lines.Sum(l => l.AmountCents)))
            throw new InvalidOperationException("An invoice is not an issued October invoice whose total is the sum of its lines.");
        var overage = invoices.Count(i => i.Lines.Any(l => l.Kind == InvoiceLineKind.Overage));
        if (overage == 0 || invoices.Sum(i => i.TotalCents) != summary.TotalCents)
            throw new InvalidOperationException("No overage billed, or the summary's total differs from the invoices'.");
        return $"verified: {invoices.Count:N0} invoices (none for {free.Count:N0} Free tenants), {overage:N0} with overage, {Money.Format(summary.TotalCents)}";
    }
}
