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

    private MudDataGrid<FleetTenantRow>? _grid;
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

    // Creates a tenant on behalf of a customer, then opens it.
    private async Task CreateTenantAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateTenantForCustomerDialog>("Create tenant", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: CreatedTenantForCustomer created })
            Navigation.NavigateTo($"/ops/tenants/{created.TenantId}");
    }
}
