namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// One line of the load report: what was measured (scenario, size, quantity), the figure and its unit, the target it is
/// held against and whether it is met (<c>null</c> when the line only informs, e.g. memory per circuit or a growth ratio).
/// </summary>
public sealed record Measurement(string Scenario, string Size, string Quantity, double Value, string Unit, string Target, bool? Met, string Note = "")
{
    /// <summary>The figure as printed: thousands separated, at most two decimals.</summary>
    public string Formatted => Value switch
    {
        >= 1_000 => Value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        >= 10 => Value.ToString("N1", System.Globalization.CultureInfo.InvariantCulture),
        _ => Value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
    } + (Unit.Length == 0 ? "" : " " + Unit);
}
