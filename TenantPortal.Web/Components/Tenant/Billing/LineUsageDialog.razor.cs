using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Web.Components.Tenant.Billing;

/// <summary>The daily usage behind an overage or late-usage line.</summary>
public partial class LineUsageDialog
{
    private IReadOnlyList<DailyUsage>? _days;
    private string? _error;
    private List<ChartSeries<double>> _series = [];
    private string[] _labels = [];

    [Inject] private InvoiceService Invoices { get; set; } = default!;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>Who looks.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <summary>The invoice number.</summary>
    [Parameter, EditorRequired] public string Number { get; set; } = "";

    /// <summary>The line (overage or late usage).</summary>
    [Parameter, EditorRequired] public InvoiceLineRow Line { get; set; } = default!;

    /// <summary>Where the line's events download as CSV.</summary>
    [Parameter, EditorRequired] public string CsvUrl { get; set; } = "";

    private UsageMetric Metric => Line.Metric ?? UsageMetric.ApiCalls;

    private bool IsCounter => UsageMetrics.Kind(Metric) == MetricKind.Counter;

    private string Unit => UsageMetrics.Unit(Metric);

    private string ValueHeader => IsCounter ? "Used that day" : "Level at the end of the day";

    private string Caption => Line.UsagePeriodStart is { } start
        ? $"{UsageMetrics.DisplayName(Metric)}, {BillingFormat.Month(start)} (UTC days), invoice {Number}"
        : $"Invoice {Number}";

    private string Summary => IsCounter
        ? $"{BillingFormat.Quantity(_days!.Sum(d => d.Value))} {Unit} in the period; the busiest day used {BillingFormat.Quantity(_days!.Max(d => d.Value))} {Unit}."
        : $"Highest level {BillingFormat.Quantity(_days!.Max(d => d.Value))} {Unit}; storage is billed on the time-weighted average over the period.";

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        var result = await Invoices.LineUsageAsync(Actor, Number, Line.Id, CancellationToken.None);
        if (!result.IsSuccess)
        {
            _error = result.Error.Message;
            return;
        }
        _days = result.Value;
        _labels = _days.Select(d => d.Day.Day % 5 == 1 ? d.Day.ToString("d MMM", CultureInfo.InvariantCulture) : "").ToArray();
        _series = [new ChartSeries<double> { Name = UsageMetrics.DisplayName(Metric), Data = _days.Select(d => (double?)d.Value).ToArray() }];
    }
}
