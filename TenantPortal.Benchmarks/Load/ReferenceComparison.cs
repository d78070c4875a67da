using System.Globalization;
using System.Text;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The published figures the product is measured against, each beside the run's own figure as a ratio (how many times
/// better ours is: a throughput divided by theirs, or their latency divided by ours).
/// </summary>
public static class ReferenceComparison
{
    /// <summary>A reference: what it claims, where it comes from, and the line of the run it is compared with.</summary>
    /// <param name="Claim">The claim as published.</param>
    /// <param name="Source">Where it is published.</param>
    /// <param name="Figure">Its figure in <paramref name="Unit"/>.</param>
    /// <param name="Unit">The unit of both figures.</param>
    /// <param name="HigherIsBetter">Throughputs: true; latencies: false.</param>
    /// <param name="Scenario">The scenario of our line.</param>
    /// <param name="Quantity">Texts our line's quantity contains, all of them.</param>
    /// <param name="Convert">Turns our line's value into <paramref name="Unit"/>.</param>
    public sealed record Reference(string Claim, string Source, double Figure, string Unit, bool HigherIsBetter, string Scenario, string[] Quantity, Func<Measurement, double> Convert)
    {
        /// <summary>True for the run's line this reference is compared with (the first such line is taken: the main size).</summary>
        public bool Matches(Measurement m) => m.Scenario == Scenario && Quantity.All(q => m.Quantity.Contains(q, StringComparison.OrdinalIgnoreCase));
    }

    private const string Lago = "as cited in issue [6/7]; Lago's docs (getlago.com/docs/guide/events/usage-performances) put larger volumes on its Kafka + ClickHouse pipeline";
    private const string StripeV1 = "Stripe API reference, POST /v1/billing/meter_events: 1,000 calls/s in live mode, one event a call";
    private const string StripeV2 = "Stripe changelog 2024-09-30.acacia, \"Adds Meter Event v2 API endpoints\": 10,000 requests/s, up to 100 events a request";

    private const string Seed = "seeds/002 (Multi-Tenant Billing & Metering, Implementation Summary, section Performance → Benchmarks)";

    /// <summary>The references of issue [6/7].</summary>
    public static IReadOnlyList<Reference> References { get; } =
    [
        new("usage logging < 1 ms per event", Seed, 1, "ms per event", false, "ingest", ["events/s accepted"], m => 1_000 / m.Value),
        new("quota checking < 5 ms", Seed, 5, "ms (p99 over HTTP)", false, "quota", ["quota/check at", "p99"], m => m.Value),
        new("aggregation < 100 ms for 1000 events", Seed, 100, "ms per 1,000 events", false, "rollup", ["incremental rollup time"], m => m.Value / (LeadingNumber(m.Size) / 1_000)),
        new("dashboard load < 200 ms", Seed, 200, "ms (p95 first render)", false, "pages", ["Overview tab", "p95"], m => m.Value),
        new("Lago: about 10,000 events/s on one Postgres", Lago, 10_000, "events/s", true, "ingest", ["events/s accepted"], m => m.Value),
        new("Stripe meter events API (v1): 1,000 calls/s", StripeV1, 1_000, "events/s", true, "ingest", ["events/s accepted"], m => m.Value),
        new("Stripe meter event streams (v2): 10,000 requests/s", StripeV2, 10_000, "requests/s (ours: batches of 500)", true, "ingest", ["events/s accepted"], m => m.Value / 500),
        new("Stripe meter event streams (v2): up to 100,000 events/s for one business", StripeV2, 100_000, "events/s", true, "ingest", ["events/s accepted"], m => m.Value),
    ];

    /// <summary>The comparison table for the lines the run measured (references without a line are listed as not run).</summary>
    public static string Render(IReadOnlyList<Measurement> measurements)
    {
        var text = new StringBuilder();
        text.AppendLine("| reference | source | their figure | ours | ratio (ours vs theirs) |");
        text.AppendLine("|---|---|---:|---:|---:|");
        foreach (var reference in References)
        {
            var line = measurements.FirstOrDefault(reference.Matches);
            if (line is null)
            {
                text.AppendLine($"| {reference.Claim} | {reference.Source} | {Format(reference.Figure)} {reference.Unit} | not run | |");
                continue;
            }
            var ours = reference.Convert(line);
            var ratio = reference.HigherIsBetter ? ours / reference.Figure : reference.Figure / ours;
            text.AppendLine($"| {reference.Claim} | {reference.Source} | {Format(reference.Figure)} {reference.Unit} | {Format(ours)} {reference.Unit} | {(ratio < 0.1 ? ratio.ToString("0.###", CultureInfo.InvariantCulture) : ratio.ToString("N1", CultureInfo.InvariantCulture))}× |");
        }
        return text.ToString();
    }

    // "100,000 new on 10,000,000" → 100000.
    private static double LeadingNumber(string text) =>
        double.Parse(new string(text.TakeWhile(c => char.IsDigit(c) || c == ',').Where(char.IsDigit).ToArray()), CultureInfo.InvariantCulture);

    private static string Format(double value) => value >= 100
        ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("0.###", CultureInfo.InvariantCulture);
}
