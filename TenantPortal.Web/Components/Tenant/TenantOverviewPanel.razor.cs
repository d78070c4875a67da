using Microsoft.AspNetCore.Components;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>The Overview tab: the period at a glance, kept current while open.</summary>
public partial class TenantOverviewPanel
{
    private static readonly (UsageMetric Metric, string Icon)[] MetricCards =
    [
        (UsageMetric.ApiCalls, MudBlazor.Icons.Material.Outlined.Api),
        (UsageMetric.StorageGb, MudBlazor.Icons.Material.Outlined.Storage),
        (UsageMetric.GpuHours, MudBlazor.Icons.Material.Outlined.Memory),
    ];

    [Inject] private TenantOverviewService Overviews { get; set; } = default!;
    [Inject] private UsageReportService Reports { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    /// <summary>The user's access to the tenant shown.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    private Guid _loadedFor;
    private TenantOverview? _overview;
    private UsageReport? _report;

    private string PeriodLabel => _report is null
        ? ""
        : $"{_report.PeriodStart:d MMMM} – {_report.PeriodEnd.AddDays(-1):d MMMM yyyy} (UTC)";

    private long OverageCents => _report is null ? 0 : _report.EstimatedTotalCents - _report.BaseCents;

    private int? TrialDaysLeft => _overview is { Status: TenantStatus.Trial, TrialEndsAt: { } end } ? DaysLeft(end) : null;

    // The chip next to it names the status: the line says what it means, never the status again ("Active Active").
    private string PlanDetail => _overview switch
    {
        { Status: TenantStatus.Trial, TrialEndsAt: { } end } => DaysLeft(end) switch
        {
            <= 0 => "Trial ends today",
            1 => "1 day left in trial",
            var days => $"{days} days left in trial",
        },
        { Status: TenantStatus.Active, CurrentPeriodEndsAt: { } renews } => $"Renews on {renews:d MMMM yyyy}",
        { Status: TenantStatus.Active, Tier: SubscriptionTier.Free } => "No payment needed",
        { Status: TenantStatus.Active } => "No renewal scheduled",
        { Status: TenantStatus.PastDue } => "Payment overdue",
        { Status: TenantStatus.Suspended } => "Quota checks are refused",
        { Status: TenantStatus.Cancelled } => "Subscription ended",
        _ => "",
    };

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == Access.TenantId && _overview is not null)
            return;
        _loadedFor = Access.TenantId;
        await ReloadAsync(Disposed);
    }

    /// <inheritdoc />
    protected override Guid TenantId => Access.TenantId;

    /// <inheritdoc />
    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var overview = await Overviews.GetAsync(cancellationToken);
        var report = await Reports.CurrentAsync(cancellationToken);
        (_overview, _report) = (overview, report);
    }

    private CurrentUsage UsageOf(UsageMetric metric)
    {
        var m = _report!.Metrics.Single(x => x.Metric == metric);
        return new CurrentUsage(m.Metric, m.Used, m.Limit, m.Percentage);
    }

    private int DaysLeft(DateTimeOffset end) => (int)Math.Ceiling((end - Time.GetUtcNow()).TotalDays);
}
