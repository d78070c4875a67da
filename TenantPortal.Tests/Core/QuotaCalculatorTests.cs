using TenantPortal.Core.Quotas;

namespace TenantPortal.Tests.Core;

public class QuotaCalculatorTests
{
    [Theory]
    [InlineData("69.9", QuotaBand.Green)]
    [InlineData("70", QuotaBand.Yellow)]
    [InlineData("89.9", QuotaBand.Yellow)]
    [InlineData("90", QuotaBand.Red)]
    [InlineData("0", QuotaBand.Green)]
    [InlineData("150", QuotaBand.Red)]
    public void Band_FollowsTheSpecifiedThresholds(string percentage, QuotaBand expected)
    {
        Assert.Equal(expected, QuotaCalculator.Band(decimal.Parse(percentage, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Band_IsGreen_ForAnUnlimitedQuota()
    {
        Assert.Equal(QuotaBand.Green, QuotaCalculator.Band(5_000_000m, -1m));
    }

    [Fact]
    public void Percentage_IsUsedOverLimit_AndNullWhenUnlimited()
    {
        Assert.Equal(94m, QuotaCalculator.Percentage(9_400, 10_000));
        Assert.Equal(105m, QuotaCalculator.Percentage(1_050_000, 1_000_000));
        Assert.Null(QuotaCalculator.Percentage(1, -1));
    }

    [Fact]
    public void Percentage_OfAZeroQuota_IsFullOnlyOnceSomethingIsUsed()
    {
        Assert.Equal(0m, QuotaCalculator.Percentage(0, 0));
        Assert.Equal(100m, QuotaCalculator.Percentage(1, 0));
    }

    [Theory]
    [InlineData("79.99", null)]
    [InlineData("80", 80)]
    [InlineData("95", 90)]
    [InlineData("100", 100)]
    [InlineData("130", 100)]
    public void HighestThresholdReached_ReturnsTheAlertLevel(string percentage, int? expected)
    {
        Assert.Equal(expected, QuotaCalculator.HighestThresholdReached(decimal.Parse(percentage, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
