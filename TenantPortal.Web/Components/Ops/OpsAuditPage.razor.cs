using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Audit.Export;
using TenantPortal.Web.Components.Shared;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Ops;

/// <summary>The whole fleet's audit log for operators, filtered by tenant, actor, action and time, and paged by the database.</summary>
public partial class OpsAuditPage
{
    [Inject] private FleetAuditService Audit { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;

    /// <summary>The tenant slug to show (<c>?tenant=acme</c>), e.g. when linked from a tenant's page.</summary>
    [SupplyParameterFromQuery(Name = "tenant")] public string? Tenant { get; set; }

    private MudTable<FleetAuditRow>? _table;
    private Actor? _operator;
    private string? _error;
    private string? _action;
    private string? _actor;
    private DateTime? _from;
    private DateTime? _to;
    private AuditExportFormat _format = AuditExportFormat.Csv;

    // The download of the fleet's log as filtered now (the tenant filter, when set, names one tenant exactly).
    private string ExportHref => AuditExportBar.Link("/ops/audit/export", _format, _action, _actor, _from, _to, Tenant);

    private async Task<TableData<FleetAuditRow>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        _operator ??= await CurrentUser.GetActorAsync();
        if (_operator is null)
            return new TableData<FleetAuditRow> { Items = [], TotalItems = 0 };
        // Dates are picked as UTC calendar days; "to" includes its whole day.
        var filter = new AuditFilter(
            _action,
            _actor,
            _from is { } from ? new DateTimeOffset(DateTime.SpecifyKind(from.Date, DateTimeKind.Utc)) : null,
            _to is { } to ? new DateTimeOffset(DateTime.SpecifyKind(to.Date.AddDays(1), DateTimeKind.Utc)) : null);
        var take = Math.Clamp(state.PageSize, 1, FleetAuditService.MaxPageSize);
        var result = await Audit.QueryAsync(_operator, Tenant, filter, state.Page * take, take, cancellationToken);
        _error = result.IsSuccess ? null : result.Error.Message;
        return result.IsSuccess
            ? new TableData<FleetAuditRow> { Items = result.Value.Rows, TotalItems = result.Value.Total }
            : new TableData<FleetAuditRow> { Items = [], TotalItems = 0 };
    }

    private Task OnTenantChangedAsync(string? tenant)
    {
        Tenant = tenant;
        return ReloadAsync();
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
