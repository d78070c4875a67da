using TenantPortal.Core.Usage;
using TenantPortal.Web.Components.Tenant;

namespace TenantPortal.Tests.Web;

public class UsageProjectionTests
{
    // June 2026: 30 days; the period ends (exclusive) on 1 July.
    private static readonly DateOnly June1 = new(2026, 6, 1);
    private static readonly DateOnly July1 = new(2026, 7, 1);
    private static readonly DateOnly June10 = new(2026, 6, 10);

    [Fact]
    public void Counter_ProjectsTheAverageDailyRate_AndNoLimitDate_WhenTheQuotaIsNotReachedThisPeriod()
    {
        var daily = Enumerable.Repeat(300m, 10).ToList(); // 3,000 calls in the first 10 days

        var projection = UsageProjection.Counter(daily, June1, July1, June10, limit: 10_000);

        Assert.Equal(3_000m, projection.SoFar);
        Assert.Equal(300m, projection.DailyRate);
        Assert.Equal(9_000m, projection.ProjectedTotal); // 3,000 + 300 x 20 days left
        Assert.Null(projection.LimitReachedOn);
    }

    [Fact]
    public void Counter_ProjectsTheDayTheQuotaIsReached_WhenItFallsWithinThePeriod()
    {
        var daily = Enumerable.Repeat(600m, 10).ToList(); // 6,000 in 10 days: 600 a day

        var projection = UsageProjection.Counter(daily, June1, July1, June10, limit: 10_000);

        Assert.Equal(18_000m, projection.ProjectedTotal); // 6,000 + 600 x 20
        Assert.Equal(new DateOnly(2026, 6, 17), projection.LimitReachedOn); // day 16: 9,600; day 17: 10,200
    }

    [Fact]
    public void Counter_UsesTheAverageOverElapsedDays_NotTheLastDay_WhenUseIsUneven()
    {
        // 1,000 on day 1, nothing since: 100 a day over the 10 elapsed days.
        var daily = new List<decimal> { 1_000m, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

        var projection = UsageProjection.Counter(daily, June1, July1, June10, limit: 2_500);

        Assert.Equal(100m, projection.DailyRate);
        Assert.Equal(3_000m, projection.ProjectedTotal);
        Assert.Equal(new DateOnly(2026, 6, 25), projection.LimitReachedOn); // 1,000 + 100 x 15 = 2,500
    }

    [Fact]
    public void Counter_ReturnsTheDayTheQuotaWasReached_WhenItIsAlreadyReached()
    {
        var daily = new List<decimal> { 400m, 400m, 400m, 100m }; // 1,000 reached on 3 June (1,200)

        var projection = UsageProjection.Counter(daily, June1, July1, new DateOnly(2026, 6, 4), limit: 1_000);

        Assert.Equal(new DateOnly(2026, 6, 3), projection.LimitReachedOn);
        Assert.Equal([400m, 800m, 1_200m, 1_300m], projection.Actual);
    }

    [Fact]
    public void Counter_HasNoLimitDate_WhenTheQuotaIsUnlimited()
    {
        var daily = Enumerable.Repeat(1_000_000m, 10).ToList();

        var projection = UsageProjection.Counter(daily, June1, July1, June10, limit: -1);

        Assert.Equal(30_000_000m, projection.ProjectedTotal);
        Assert.Null(projection.LimitReachedOn);
    }

    [Fact]
    public void Counter_ProjectsNothing_WhenNothingWasUsed()
    {
        var projection = UsageProjection.Counter([], June1, July1, June10, limit: 100);

        Assert.Equal(0m, projection.ProjectedTotal);
        Assert.Null(projection.LimitReachedOn);
    }

    [Fact]
    public void Counter_ProjectsOnlyToday_OnThePeriodsLastDay()
    {
        var daily = Enumerable.Repeat(10m, 30).ToList();

        var projection = UsageProjection.Counter(daily, June1, July1, new DateOnly(2026, 6, 30), limit: 1_000);

        Assert.Equal(300m, projection.ProjectedTotal);
        Assert.Single(projection.Projected);
        Assert.Null(projection.LimitReachedOn);
    }

    [Fact]
    public void Counter_ProjectsASeriesFromTodayToTheLastDay_StartingAtTheCumulativeUse()
    {
        var daily = Enumerable.Repeat(300m, 10).ToList();

        var projection = UsageProjection.Counter(daily, June1, July1, June10, limit: 10_000);

        Assert.Equal(21, projection.Projected.Count); // 10 June .. 30 June
        Assert.Equal(3_000m, projection.Projected[0]);
        Assert.Equal(3_300m, projection.Projected[1]);
        Assert.Equal(10, projection.Actual.Count);
    }

    [Fact]
    public void Gauge_HoldsTheLastLevel_ToThePeriodsEnd()
    {
        var daily = new List<decimal> { 100m, 120m, 150m, 140m };

        var projection = UsageProjection.Gauge(daily, June1, July1, new DateOnly(2026, 6, 4), limit: 1_000);

        Assert.Equal(140m, projection.SoFar);
        Assert.Equal(140m, projection.ProjectedTotal);
        Assert.Equal(0m, projection.DailyRate);
        Assert.All(projection.Projected, level => Assert.Equal(140m, level));
        Assert.Null(projection.LimitReachedOn);
    }

    [Fact]
    public void Gauge_ReportsTheDayTheQuotaWasReached_OnlyWhileTheLevelIsStillOverIt()
    {
        var over = UsageProjection.Gauge([50m, 120m, 130m], June1, July1, new DateOnly(2026, 6, 3), limit: 100);
        var backUnder = UsageProjection.Gauge([50m, 120m, 90m], June1, July1, new DateOnly(2026, 6, 3), limit: 100);

        Assert.Equal(new DateOnly(2026, 6, 2), over.LimitReachedOn);
        Assert.Null(backUnder.LimitReachedOn);
    }

    [Fact]
    public void Project_ChoosesTheArithmeticByMetricKind()
    {
        var daily = new List<decimal> { 10m, 20m };

        var counter = UsageProjection.Project(MetricKind.Counter, daily, June1, July1, new DateOnly(2026, 6, 2), -1);
        var gauge = UsageProjection.Project(MetricKind.Gauge, daily, June1, July1, new DateOnly(2026, 6, 2), -1);

        Assert.Equal(30m + 15m * 28, counter.ProjectedTotal);
        Assert.Equal(20m, gauge.ProjectedTotal);
    }

    [Fact]
    public void Counter_Throws_WhenTodayIsOutsideThePeriod()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UsageProjection.Counter([], June1, July1, July1, 10));
    }
}
