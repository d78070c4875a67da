using TenantPortal.Core.Usage;

namespace TenantPortal.Tests.Core;

public class PeriodMathTests
{
    private static readonly DateTimeOffset November = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MonthStart_IsTheFirstInstantOfTheUtcMonth()
    {
        Assert.Equal(November, PeriodMath.MonthStart(new DateTimeOffset(2026, 11, 22, 23, 59, 0, TimeSpan.Zero)));
        // 30 November 23:30 in UTC-2 is 1 December in UTC.
        Assert.Equal(November.AddMonths(1), PeriodMath.MonthStart(new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.FromHours(-2))));
    }

    [Fact]
    public void TimeWeightedAverage_HoldsEachLevelUntilTheNextReading()
    {
        // 1,000 GB for the first half of a 30-day month, 1,200 GB for the second half: 1,100 GB-months.
        var readings = new[] { (November, 1_000m), (November.AddDays(15), 1_200m) };

        Assert.Equal(1_100m, PeriodMath.TimeWeightedAverage(readings, November, November.AddMonths(1)));
    }

    [Fact]
    public void TimeWeightedAverage_CarriesTheLevelFromBeforeThePeriod()
    {
        var readings = new[] { (November.AddDays(-3), 40m) };

        Assert.Equal(40m, PeriodMath.TimeWeightedAverage(readings, November, November.AddMonths(1)));
    }

    [Fact]
    public void TimeWeightedAverage_IsZero_BeforeAnyReading()
    {
        var readings = new[] { (November.AddDays(15), 300m) };

        Assert.Equal(150m, PeriodMath.TimeWeightedAverage(readings, November, November.AddMonths(1)));
    }
}
