using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Tests.Data.Fleet;

/// <summary>The operators' fleet queries over 10,005 tenants: filters, sorts, paging and quota states, all in SQL.</summary>
public abstract class FleetServiceTests(FleetFixture fleet)
{
    public sealed class Sqlite(FleetFixture fleet) : FleetServiceTests(fleet), IClassFixture<FleetFixture>;

    public sealed class PostgreSql(FleetFixture.OnPostgreSql fleet) : FleetServiceTests(fleet), IClassFixture<FleetFixture.OnPostgreSql>;

    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<FleetPage> ListAsync(FleetQuery query)
    {
        var result = await fleet.Service().ListAsync(fleet.Operator, query, None);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    [Fact]
    public async Task ListAsync_ReturnsFirstPageByNameAndTotal_WhenUnfiltered()
    {
        var page = await ListAsync(new FleetQuery { Take = 25 });

        Assert.Equal(fleet.Tenants.Count, page.Total);
        var expected = fleet.Tenants.OrderBy(t => t.Name, StringComparer.Ordinal).Take(25).Select(t => t.Slug);
        Assert.Equal(expected, page.Rows.Select(r => r.Slug));
    }

    [Fact]
    public async Task ListAsync_IsForbidden_WhenActorIsNotAnOperator()
    {
        var result = await fleet.Service().ListAsync(fleet.Stranger, new FleetQuery(), None);

        Assert.Equal(ErrorCodes.Forbidden, result.Error?.Code);
    }

    [Fact]
    public async Task SummaryAsync_IsForbidden_WhenActorIsNotAnOperator()
    {
        var result = await fleet.Service().SummaryAsync(fleet.Stranger, None);

        Assert.Equal(ErrorCodes.Forbidden, result.Error?.Code);
    }

    [Fact]
    public async Task ListAsync_FindsBySlugOrName_WhenSearching()
    {
        var bySlug = await ListAsync(new FleetQuery { Search = "tenant-0424" });
        var byName = await ListAsync(new FleetQuery { Search = "  OVER gpu " });

        Assert.Equal(10, bySlug.Total);
        Assert.All(bySlug.Rows, r => Assert.StartsWith("tenant-0424", r.Slug, StringComparison.Ordinal));
        Assert.Equal("over-gpu", Assert.Single(byName.Rows).Slug);
    }

    [Theory]
    [InlineData(SubscriptionTier.Free)]
    [InlineData(SubscriptionTier.Enterprise)]
    public async Task ListAsync_ReturnsOnlyTheTier_WhenFilteredByTier(SubscriptionTier tier)
    {
        var page = await ListAsync(new FleetQuery { Tier = tier, Take = 200 });

        Assert.Equal(fleet.Tenants.Count(t => t.Tier == tier), page.Total);
        Assert.All(page.Rows, r => Assert.Equal(tier, r.Tier));
    }

    [Fact]
    public async Task ListAsync_CombinesFilters_WhenTierAndStatusAreSet()
    {
        var page = await ListAsync(new FleetQuery { Tier = SubscriptionTier.Starter, Status = TenantStatus.Suspended, Take = 200 });

        Assert.Equal(fleet.Tenants.Count(t => t.Tier == SubscriptionTier.Starter && t.Status == TenantStatus.Suspended), page.Total);
        Assert.All(page.Rows, r => Assert.Equal((SubscriptionTier.Starter, TenantStatus.Suspended), (r.Tier, r.Status)));
    }

    [Fact]
    public async Task ListAsync_ReturnsPastDueTenants_WhenPastDueIsSet()
    {
        var page = await ListAsync(new FleetQuery { PastDue = true });

        Assert.Equal(fleet.Tenants.Count(t => t.Status == TenantStatus.PastDue), page.Total);
        Assert.All(page.Rows, r => Assert.Equal(TenantStatus.PastDue, r.Status));
    }

    [Fact]
    public async Task ListAsync_ReturnsTrialsEndingWithinSevenDays_WhenTrialEndingSoonIsSet()
    {
        var page = await ListAsync(new FleetQuery { TrialEndingSoon = true, Take = 200 });

        Assert.Equal(fleet.Tenants.Count(t => t.Status == TenantStatus.Trial && t.TrialEndsAt <= FleetFixture.Now.AddDays(7)), page.Total);
        Assert.Equal(1_000, page.Total);
        Assert.All(page.Rows, r => Assert.Equal(FleetFixture.Now.AddDays(3), r.TrialEndsAt));
    }

    [Fact]
    public async Task ListAsync_ReturnsTenantsAtNinetyPercentOrMore_WhenQuotaStateIsAtLeast90()
    {
        var page = await ListAsync(new FleetQuery { QuotaState = FleetQuotaState.AtLeast90Percent });

        Assert.Equal(["full-storage", "hot-api", "over-gpu"], page.Rows.Select(r => r.Slug).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListAsync_ReturnsTenantsOverQuota_WhenQuotaStateIsAtLeast100()
    {
        var page = await ListAsync(new FleetQuery { QuotaState = FleetQuotaState.AtLeast100Percent });

        Assert.Equal(["full-storage", "over-gpu"], page.Rows.Select(r => r.Slug).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListAsync_ComputesUsagePercentages_FromRollupsFreshEventsLatestLevelAndOverrides()
    {
        var rows = new Dictionary<string, FleetTenantRow>();
        foreach (var slug in new[] { "hot-api", "over-gpu", "full-storage", "override-org", "big-enterprise" })
            rows[slug] = Assert.Single((await ListAsync(new FleetQuery { Search = slug })).Rows);

        Assert.Equal(95m, rows["hot-api"].ApiCallsPercent);
        Assert.Equal(0m, rows["hot-api"].GpuHoursPercent);
        Assert.Equal(140m, rows["over-gpu"].GpuHoursPercent);
        Assert.Equal(100m, rows["full-storage"].StoragePercent);
        Assert.Equal(5m, rows["override-org"].ApiCallsPercent);
        Assert.Null(rows["big-enterprise"].ApiCallsPercent);
        Assert.Equal(3, rows["hot-api"].Members);
    }

    [Fact]
    public async Task ListAsync_SortsByUsage_WhenSortedByApiCallsDescending()
    {
        var page = await ListAsync(new FleetQuery { SortBy = FleetSortColumn.ApiCallsPercent, Descending = true, Take = 2 });

        Assert.Equal(["hot-api", "override-org"], page.Rows.Select(r => r.Slug));
    }

    [Fact]
    public async Task ListAsync_SortsByMrr_WhenSortedByMrrDescending()
    {
        var page = await ListAsync(new FleetQuery { SortBy = FleetSortColumn.Mrr, Descending = true, Take = 200 });

        Assert.All(page.Rows, r => Assert.Equal(999_00, r.MrrCents));
        Assert.Equal("Big Enterprise", page.Rows[0].Name);
        Assert.Equal(page.Rows.Select(r => r.Name).Order(StringComparer.Ordinal), page.Rows.Select(r => r.Name));
    }

    [Fact]
    public async Task ListAsync_ComputesAnnualMrrAsATwelfth_WhenCycleIsAnnual()
    {
        var page = await ListAsync(new FleetQuery { Search = "tenant-00011" });

        Assert.Equal(BillingCycle.Annual, fleet.Tenants.Single(t => t.Slug == "tenant-00011").BillingCycle);
        Assert.Equal((SubscriptionTier.Enterprise, TenantStatus.Active), (Assert.Single(page.Rows).Tier, page.Rows[0].Status));
        Assert.Equal(PlanCatalog.Enterprise.AnnualPriceCents / 12, page.Rows[0].MrrCents);
    }

    [Theory]
    [InlineData(FleetSortColumn.Created, false)]
    [InlineData(FleetSortColumn.Created, true)]
    [InlineData(FleetSortColumn.Slug, true)]
    public async Task ListAsync_OrdersLikeLinqToObjects_WhenSortedByAColumn(FleetSortColumn column, bool descending)
    {
        var page = await ListAsync(new FleetQuery { SortBy = column, Descending = descending, Skip = 100, Take = 50 });

        IEnumerable<Tenant> expected = column == FleetSortColumn.Slug
            ? (descending ? fleet.Tenants.OrderByDescending(t => t.Slug, StringComparer.Ordinal) : fleet.Tenants.OrderBy(t => t.Slug, StringComparer.Ordinal))
            : (descending ? fleet.Tenants.OrderByDescending(t => t.CreatedAt) : fleet.Tenants.OrderBy(t => t.CreatedAt)).ThenBy(t => t.Name, StringComparer.Ordinal);
        Assert.Equal(expected.Skip(100).Take(50).Select(t => t.Slug), page.Rows.Select(r => r.Slug));
    }

    [Fact]
    public async Task ListAsync_PagesWithoutGapsOrRepeats_WhenSortKeysTie()
    {
        var seen = new List<Guid>();
        for (var skip = 0; skip < 600; skip += 200)
            seen.AddRange((await ListAsync(new FleetQuery { SortBy = FleetSortColumn.Tier, Skip = skip, Take = 200 })).Rows.Select(r => r.Id));

        var expected = fleet.Tenants.OrderBy(t => t.Tier).ThenBy(t => t.Name, StringComparer.Ordinal).Take(600).Select(t => t.Id);
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task SummaryAsync_CountsStatusesMrrAndTenantsOverQuota()
    {
        var summary = (await fleet.Service().SummaryAsync(fleet.Operator, None)).Value;

        foreach (var status in Enum.GetValues<TenantStatus>())
            Assert.Equal(fleet.Tenants.Count(t => t.Status == status), summary.ByStatus[status]);
        Assert.Equal(2, summary.OverQuota);
        var paying = fleet.Tenants.Where(t => t.Status is TenantStatus.Active or TenantStatus.PastDue)
            .Sum(t => t.BillingCycle == BillingCycle.Annual ? PlanCatalog.For(t.Tier).AnnualPriceCents / 12 : PlanCatalog.For(t.Tier).MonthlyPriceCents);
        Assert.Equal(paying, summary.MrrCents);
    }

    [Fact]
    public async Task ListAsync_ReadsASnapshotEqualToTheLiveComputation_ForEveryTenant()
    {
        await ListAsync(new FleetQuery());

        await using var db = fleet.Database.CrossTenant();
        await FleetSnapshotAssert.EqualsLiveAsync(db, FleetFixture.Now);
    }

    [Fact]
    public void PageQuery_PagesAndFiltersInSql_WhenAllFiltersAreSet()
    {
        var tenant = new TenantContext();
        using var scope = tenant.BeginCrossTenantScope("sql shape");
        using var db = fleet.Database.CreateContext(tenant);
        var query = new FleetQuery
        {
            Search = "acme", Tier = SubscriptionTier.Starter, Status = TenantStatus.Trial, QuotaState = FleetQuotaState.AtLeast90Percent,
            TrialEndingSoon = true, SortBy = FleetSortColumn.GpuHoursPercent, Descending = true, Skip = 50, Take = 25,
        };

        var sql = FleetService.PageQuery(db, query, FleetFixture.Now).ToQueryString();

        Assert.Contains("LIMIT @", sql, StringComparison.Ordinal);
        Assert.Contains("OFFSET @", sql, StringComparison.Ordinal);
        Assert.Contains("ORDER BY", sql, StringComparison.Ordinal);
        Assert.Contains(">= 90", sql, StringComparison.Ordinal);
        // Each provider writes the filters its own way (quoting, constants or parameters, the substring search).
        string[] filters = fleet.Database.Provider == DatabaseProvider.PostgreSql
            ? ["t.\"Tier\" = @tier", "t.\"Status\" = @status", "t.\"TrialEndsAt\"", "LIKE @term_contains"]
            : ["\"t\".\"Tier\" = 'Starter'", "\"t\".\"Status\" = 'Trial'", "\"t\".\"TrialEndsAt\"", "instr("];
        Assert.All(filters, filter => Assert.Contains(filter, sql, StringComparison.Ordinal));
    }
}
