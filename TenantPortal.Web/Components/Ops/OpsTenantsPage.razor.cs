using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Operations;
using TenantPortal.Web.Jobs;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Ops;

/// <summary>
/// The operators' fleet: summary cards and a server-side grid of all tenants, filtered, sorted and paged in the database.
/// Also the landing page of <c>/ops</c>.
/// </summary>
public partial class OpsTenantsPage
{
    // The grid reports its sort as the column's property name.
    private static readonly Dictionary<string, FleetSortColumn> SortColumns = new(StringComparer.Ordinal)
    {
        [nameof(FleetTenantRow.Name)] = FleetSortColumn.Name,
        [nameof(FleetTenantRow.Slug)] = FleetSortColumn.Slug,
        [nameof(FleetTenantRow.Tier)] = FleetSortColumn.Tier,
        [nameof(FleetTenantRow.Status)] = FleetSortColumn.Status,
        [nameof(FleetTenantRow.Members)] = FleetSortColumn.Members,
        [nameof(FleetTenantRow.ApiCallsPercent)] = FleetSortColumn.ApiCallsPercent,
        [nameof(FleetTenantRow.StoragePercent)] = FleetSortColumn.StoragePercent,
        [nameof(FleetTenantRow.GpuHoursPercent)] = FleetSortColumn.GpuHoursPercent,
        [nameof(FleetTenantRow.MrrCents)] = FleetSortColumn.Mrr,
        [nameof(FleetTenantRow.CreatedAt)] = FleetSortColumn.Created,
    };

    [Inject] private FleetService Fleet { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private FailedJobsCounter FailedJobs { get; set; } = default!;
    [Inject] private OperatorTenantService Operations { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    // The row menus' actions: the tenant page's, with the same dialogs and service.
    private static readonly Func<OperatorTenantActions, Actor, OperatorTenantDetail, Task<bool>> Suspend = (a, actor, t) => a.SuspendAsync(actor, t);
    private static readonly Func<OperatorTenantActions, Actor, OperatorTenantDetail, Task<bool>> Reactivate = (a, actor, t) => a.ReactivateAsync(actor, t);
    private static readonly Func<OperatorTenantActions, Actor, OperatorTenantDetail, Task<bool>> ChangeTier = (a, actor, t) => a.ChangeTierAsync(actor, t);
    private static readonly Func<OperatorTenantActions, Actor, OperatorTenantDetail, Task<bool>> ExtendTrial = (a, actor, t) => a.ExtendTrialAsync(actor, t);

    private MudDataGrid<FleetTenantRow>? _grid;
    private OperatorTenantActions? _actions;
    private FleetSummary? _summary;
    private long _failedJobs;
    private string? _error;
    private Actor? _actor;
    private string? _search;
    private SubscriptionTier? _tier;
    private TenantStatus? _status;
    private FleetQuotaState _quotaState;
    private bool _trialEndingSoon;
    private bool _pastDue;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _actor = await CurrentUser.GetActorAsync();
        if (_actor is null)
            return;
        var summary = await Fleet.SummaryAsync(_actor, CancellationToken.None);
        _summary = summary.IsSuccess ? summary.Value : null;
        _error = summary.IsSuccess ? null : summary.Error.Message;
        _failedJobs = FailedJobs.FailedInLast24Hours();
    }

    /// <summary>The query the current filters and the grid's sort and page make.</summary>
    internal FleetQuery BuildQuery(GridState<FleetTenantRow> state)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        return new FleetQuery
        {
            Search = _search,
            Tier = _tier,
            Status = _status,
            QuotaState = _quotaState,
            TrialEndingSoon = _trialEndingSoon,
            PastDue = _pastDue,
            SortBy = sort is not null && SortColumns.TryGetValue(sort.SortBy, out var column) ? column : FleetSortColumn.Name,
            Descending = sort?.Descending ?? false,
            Skip = state.Page * state.PageSize,
            Take = state.PageSize,
        };
    }

    private async Task<GridData<FleetTenantRow>> LoadAsync(GridState<FleetTenantRow> state, CancellationToken cancellationToken)
    {
        if (_actor is null)
            return new GridData<FleetTenantRow> { Items = [], TotalItems = 0 };
        var page = await Fleet.ListAsync(_actor, BuildQuery(state), cancellationToken);
        if (!page.IsSuccess)
        {
            _error = page.Error.Message;
            return new GridData<FleetTenantRow> { Items = [], TotalItems = 0 };
        }
        return new GridData<FleetTenantRow> { Items = page.Value.Rows, TotalItems = page.Value.Total };
    }

    private Task SearchAsync(string? text) => ReloadAsync(() => _search = text);

    private Task TierChangedAsync(SubscriptionTier? tier) => ReloadAsync(() => _tier = tier);

    private Task StatusChangedAsync(TenantStatus? status) => ReloadAsync(() => _status = status);

    private Task QuotaStateChangedAsync(FleetQuotaState state) => ReloadAsync(() => _quotaState = state);

    private Task TrialEndingSoonChangedAsync(bool on) => ReloadAsync(() => _trialEndingSoon = on);

    private Task PastDueChangedAsync(bool on) => ReloadAsync(() => _pastDue = on);

    private async Task ReloadAsync(Action change)
    {
        change();
        if (_grid is null)
            return;
        // A filter change starts again from the first page; moving there loads it, so load only when already there.
        if (_grid.CurrentPage != 0)
            _grid.NavigateTo(Page.First);
        else
            await _grid.ReloadServerData();
    }

    private static string StatusLabel(TenantStatus status) => status == TenantStatus.PastDue ? "Past due" : status.ToString();

    // Reads the row's tenant afresh (the list may be minutes old), runs the action, then reloads the summary and the grid.
    private async Task ActAsync(FleetTenantRow row, Func<OperatorTenantActions, Actor, OperatorTenantDetail, Task<bool>> action)
    {
        if (_actor is null)
            return;
        var tenant = await Operations.GetAsync(_actor, row.Id, CancellationToken.None);
        if (!tenant.IsSuccess)
        {
            Snackbar.Add(tenant.Error.Message, Severity.Error);
            return;
        }
        _actions ??= new OperatorTenantActions(Dialogs, Operations, Snackbar, Time);
        if (!await action(_actions, _actor, tenant.Value))
            return;
        var summary = await Fleet.SummaryAsync(_actor, CancellationToken.None);
        if (summary.IsSuccess)
            _summary = summary.Value;
        if (_grid is not null)
            await _grid.ReloadServerData();
    }

    // Creates a tenant on behalf of a customer, then opens it.
    private async Task CreateTenantAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateTenantForCustomerDialog>("Create tenant", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: CreatedTenantForCustomer created })
            Navigation.NavigateTo($"/ops/tenants/{created.TenantId}");
    }
}
