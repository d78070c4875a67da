using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Audit;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Audit.Export;
using TenantPortal.Web.Components.Shared;

namespace TenantPortal.Web.Components.Tenant.Settings;

/// <summary>The audit log section of the Settings tab.</summary>
public partial class AuditLogSection
{
    private static readonly IReadOnlyList<string> ActionOptions = AuditActionOptions.All;

    private MudTable<AuditEntry>? _table;
    private string? _action;
    private string? _actor;
    private DateTime? _from;
    private DateTime? _to;
    private bool? _exportIncluded;
    private AuditExportFormat _format = AuditExportFormat.Csv;

    [Inject] private AuditQueryService Audit { get; set; } = default!;
    [Inject] private AuditExportService Exports { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The user's access to the tenant.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    /// <summary>Who reads the log.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        var included = await Exports.IncludedAsync(Actor, CancellationToken.None);
        _exportIncluded = included.IsSuccess && included.Value;
    }

    // The download of the log as filtered now, in the chosen format (the service checks the role and the plan again).
    private string ExportHref => AuditExportBar.Link($"/t/{Uri.EscapeDataString(Access.Slug)}/settings/audit-log/export", _format, _action, _actor, _from, _to);

    private async Task<TableData<AuditEntry>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        // Dates are picked as UTC calendar days; "to" includes its whole day.
        var filter = new AuditFilter(
            _action,
            _actor,
            _from is { } from ? new DateTimeOffset(DateTime.SpecifyKind(from.Date, DateTimeKind.Utc)) : null,
            _to is { } to ? new DateTimeOffset(DateTime.SpecifyKind(to.Date.AddDays(1), DateTimeKind.Utc)) : null);
        var take = Math.Clamp(state.PageSize, 1, AuditQueryService.MaxPageSize);
        var result = await Audit.QueryAsync(Actor, filter, state.Page * take, take, cancellationToken);
        if (!result.IsSuccess)
        {
            Snackbar.Add(result.Error.Message, Severity.Error);
            return new TableData<AuditEntry> { Items = [], TotalItems = 0 };
        }
        return new TableData<AuditEntry> { Items = result.Value.Entries, TotalItems = result.Value.Total };
    }

    private Task OnActionChangedAsync(string? action)
    {
        _action = action;
        return ReloadAsync();
    }

    private Task OnActorChangedAsync(string? actor)
    {
        _actor = actor;
        return ReloadAsync();
    }

    private Task OnFromChangedAsync(DateTime? from)
    {
        _from = from;
        return ReloadAsync();
    }

    private Task OnToChangedAsync(DateTime? to)
    {
        _to = to;
        return ReloadAsync();
    }

    /// <summary>Reads the log again from its first page, e.g. after another section recorded a change.</summary>
    public Task RefreshAsync() => ReloadAsync();

    // A new filter starts again from the first page.
    private async Task ReloadAsync()
    {
        if (_table is null)
            return;
        if (_table.CurrentPage > 0)
            _table.NavigateTo(0);
        await _table.ReloadServerData();
    }
}
