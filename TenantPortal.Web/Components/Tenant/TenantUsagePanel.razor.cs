using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Quotas;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>The Usage tab: bars, the daily chart with its projection, when quotas are reached, and the estimated cost.</summary>
public partial class TenantUsagePanel
{
    // Actual use, its projection, the quota line.
    private static readonly string[] Palette = ["#3F51B5", "#9FA8DA", "#E53935"];

    private const string ToggleClass = "mud-button-root mud-button mud-button-outlined mud-button-outlined-primary mud-button-outlined-size-small mud-ripple mud-toggle-item mud-toggle-item-delimiter mud-toggle-item-size-small";
    private const string ChosenToggleClass = "mud-button-root mud-button mud-button-filled mud-button-filled-primary mud-button-filled-size-small mud-ripple mud-toggle-item mud-toggle-item-selected mud-toggle-item-delimiter mud-toggle-item-size-small";

    [Inject] private UsageReportService Reports { get; set; } = default!;
    [Inject] private UsageHistoryService History { get; set; } = default!;
    [Inject] private ApiRefusalService Refusals { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    /// <summary>The user's access to the tenant shown.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    private readonly LineChartOptions _chartOptions = new()
    {
        ChartPalette = Palette,
        ShowLegend = false,
        ConnectNullPoints = false,
        YAxisRequireZeroPoint = true,
        ShowToolTips = true,
        XAxisLines = false,
        MaxNumYAxisTicks = 6,
        YAxisToStringFunc = value => Compact((decimal)value),
    };

    private Guid _loadedFor;
    private UsageReport? _report;
    private IReadOnlyList<RefusalCount> _refusals = [];
    private IReadOnlyList<PeriodAlert> _alerts = [];
    private Dictionary<UsageMetric, ProjectedUsage>? _projections;
    private DateTimeOffset _loadedAt;
    private DateOnly _periodStart;
    private DateOnly _today;
    private int _elapsedDays;
    private int _periodDays;
    private UsageMetric _chartMetric = UsageMetric.ApiCalls;
    private List<ChartSeries<double>> _chartSeries = [];
    private string[] _chartLabels = [];

    private string PeriodLabel => _report is null
        ? ""
        : $"{_report.PeriodStart:d MMMM} – {_report.PeriodEnd.AddDays(-1):d MMMM yyyy} (UTC)";

    private IEnumerable<MetricReport> OverageLines => _report?.Metrics.Where(m => m.OverageCents > 0 || m.Overage > 0) ?? [];

    private string ChartCaption => UsageMetrics.Kind(_chartMetric) == MetricKind.Counter
        ? $"{UsageMetrics.DisplayName(_chartMetric)} used so far this period, day by day, and where the current daily average leads"
        : $"{UsageMetrics.DisplayName(_chartMetric)} level at the end of each day, held at its current level";

    private string ChartSummary
    {
        get
        {
            if (_projections is null)
                return "";
            var p = _projections[_chartMetric];
            var unit = UsageMetrics.Unit(_chartMetric);
            var limit = LimitOf(_chartMetric);
            var share = QuotaCalculator.Percentage(p.ProjectedTotal, limit) is { } pct ? $" ({pct:0.#} % of the quota)" : "";
            var lastDay = _report!.PeriodEnd.AddDays(-1);
            return UsageMetrics.Kind(_chartMetric) == MetricKind.Counter
                ? $"{Quantity(p.SoFar)} {unit} so far, {Quantity(p.DailyRate)} {unit} a day on average: about {Quantity(p.ProjectedTotal)} {unit} by {lastDay:d MMMM}{share}. Reaches 100 %: {ReachesText(_chartMetric, p)}."
                : $"Currently {Quantity(p.SoFar)} {unit}{share}.";
        }
    }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == Access.TenantId && _report is not null)
            return;
        _loadedFor = Access.TenantId;
        await ReloadAsync(Disposed);
    }

    /// <inheritdoc />
    protected override Guid TenantId => Access.TenantId;

    /// <inheritdoc />
    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var report = await Reports.CurrentAsync(cancellationToken);
        var now = Time.GetUtcNow();
        var periodStart = DateOnly.FromDateTime(report.PeriodStart.UtcDateTime);
        var periodEnd = DateOnly.FromDateTime(report.PeriodEnd.UtcDateTime);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var history = await History.DailyAsync(periodStart, today, cancellationToken);
        _refusals = await Refusals.SinceAsync(report.PeriodStart, cancellationToken);
        _alerts = await Refusals.AlertsSinceAsync(report.PeriodStart, cancellationToken);

        _projections = UsageMetrics.Reported.ToDictionary(metric => metric, metric =>
        {
            var daily = history.Where(d => d.Metric == metric).OrderBy(d => d.Day).Select(d => d.Value).ToList();
            var limit = report.Metrics.Single(m => m.Metric == metric).Limit;
            return UsageProjection.Project(UsageMetrics.Kind(metric), daily, periodStart, periodEnd, today, limit);
        });
        (_report, _loadedAt, _periodStart, _today) = (report, now, periodStart, today);
        _periodDays = periodEnd.DayNumber - periodStart.DayNumber;
        _elapsedDays = today.DayNumber - periodStart.DayNumber + 1;
        BuildChart();
    }

    private void SelectMetric(UsageMetric metric)
    {
        _chartMetric = metric;
        BuildChart();
    }

    // The chart gets new series objects on every load, so that it redraws.
    private void BuildChart()
    {
        if (_projections is null)
            return;
        var p = _projections[_chartMetric];
        var todayIndex = _today.DayNumber - _periodStart.DayNumber;
        var actual = new double?[_periodDays];
        var projected = new double?[_periodDays];
        for (var i = 0; i < p.Actual.Count; i++)
            actual[i] = (double)p.Actual[i];
        for (var i = 0; i < p.Projected.Count; i++)
            projected[todayIndex + i] = (double)p.Projected[i];

        var counter = UsageMetrics.Kind(_chartMetric) == MetricKind.Counter;
        var series = new List<ChartSeries<double>>
        {
            new() { Name = counter ? "Used (cumulative)" : "Level", Data = actual },
            new() { Name = "Projected", Data = projected },
        };
        var limit = LimitOf(_chartMetric);
        if (limit != PlanCatalog.Unlimited)
            series.Add(new() { Name = "Quota", Data = Enumerable.Repeat<double?>((double)limit, _periodDays).ToArray() });
        _chartSeries = series;
        // Every label would crowd the axis: the first day with its month, then every fifth day's number (short enough
        // to stay apart on a phone).
        _chartLabels = Enumerable.Range(0, _periodDays)
            .Select(i => i == 0 ? _periodStart.ToString("d MMM", CultureInfo.InvariantCulture)
                : (i + 1) % 5 == 0 ? _periodStart.AddDays(i).Day.ToString(CultureInfo.InvariantCulture) : "")
            .ToArray();
    }

    private decimal LimitOf(UsageMetric metric) => _report!.Metrics.Single(m => m.Metric == metric).Limit;

    private string ReachesText(UsageMetric metric, ProjectedUsage projection)
    {
        if (LimitOf(metric) == PlanCatalog.Unlimited)
            return "no quota";
        if (projection.LimitReachedOn is not { } day)
            return "not this period";
        return day <= _today ? $"reached on {day:d MMMM}" : day.ToString("d MMMM");
    }

    private static string BilledUnit(UsageMetric metric) => metric == UsageMetric.StorageGb ? "GB-months" : UsageMetrics.Unit(metric);

    private static string UnitPrice(UsageMetric metric) => OverageRates.UnitPriceCents(metric) is { } cents
        ? $"${(cents / 100m).ToString("0.00##", CultureInfo.InvariantCulture)} / {(metric == UsageMetric.StorageGb ? "GB-month" : metric == UsageMetric.ApiCalls ? "call" : "hour")}"
        : "";

    // Axis labels: 1.2M, 750K, 12.5.
    private static string Compact(decimal value) => Math.Abs(value) switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (value / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        _ => Quantity(value),
    };

    private static string Quantity(decimal value) =>
        value == Math.Truncate(value) ? value.ToString("N0") : Math.Abs(value) >= 100 ? value.ToString("N0") : value.ToString("N1");
}
