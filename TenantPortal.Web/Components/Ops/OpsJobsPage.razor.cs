using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Web.Operations;

namespace TenantPortal.Web.Components.Ops;

/// <summary>The operators' jobs page: each recurring job's schedule, last result and next run, "run now", the metering lag and recent failures.</summary>
public partial class OpsJobsPage
{
    /// <summary>A metering lag above this is shown as a warning.</summary>
    public static readonly TimeSpan LagWarning = TimeSpan.FromMinutes(5);

    [Inject] private JobMonitor Jobs { get; set; } = default!;
    [Inject] private MeteringRollupService Rollups { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private IReadOnlyList<RecurringJobRow>? _jobs;
    private IReadOnlyList<FailedJobRow> _failed = [];
    private TimeSpan _lag;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _jobs = Jobs.RecurringJobs();
        _failed = Jobs.FailedSince(Time.GetUtcNow().AddHours(-24));
        _lag = await Rollups.LagAsync(CancellationToken.None);
    }

    private async Task RefreshAsync() => await LoadAsync();

    private async Task RunNowAsync(string id)
    {
        var jobId = Jobs.RunNow(id);
        if (jobId is null)
            Snackbar.Add($"There is no recurring job {id}.", Severity.Error);
        else
            Snackbar.Add($"{id} started (job {jobId}).", Severity.Success);
        await LoadAsync();
    }

    private static string FormatTime(DateTimeOffset? at) => at?.ToString("d MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>"none", "42 s", "3 min 5 s", "2 h 10 min".</summary>
    internal static string FormatLag(TimeSpan lag) => lag switch
    {
        { TotalSeconds: < 1 } => "none",
        { TotalMinutes: < 1 } => $"{(int)lag.TotalSeconds} s",
        { TotalHours: < 1 } => $"{(int)lag.TotalMinutes} min {lag.Seconds} s",
        _ => $"{(int)lag.TotalHours} h {lag.Minutes} min",
    };

    private static string ResultText(JobRunResult result) => result switch
    {
        JobRunResult.None => "never ran",
        JobRunResult.Retrying => "failed, retrying",
        _ => result.ToString().ToLowerInvariant(),
    };

    private static Color ResultColor(JobRunResult result) => result switch
    {
        JobRunResult.Succeeded => Color.Success,
        JobRunResult.Failed => Color.Error,
        JobRunResult.Retrying => Color.Warning,
        JobRunResult.Running or JobRunResult.Waiting => Color.Info,
        _ => Color.Default,
    };
}
