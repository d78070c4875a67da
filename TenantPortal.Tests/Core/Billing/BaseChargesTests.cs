using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Tests.Core.Billing;

public class BaseChargesTests
{
    private static readonly DateTimeOffset November = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Guid Tenant = Guid.NewGuid();

    private static PlanSegment Segment(SubscriptionTier tier, DateTimeOffset from, DateTimeOffset? to = null, BillingCycle cycle = BillingCycle.Monthly, bool charged = true) =>
        new() { TenantId = Tenant, Tier = tier, Cycle = cycle, StartsAt = from, EndsAt = to, Charged = charged };

    [Theory]
    [InlineData(SubscriptionTier.Free, 0)]
    [InlineData(SubscriptionTier.Starter, 49_00)]
    [InlineData(SubscriptionTier.Professional, 199_00)]
    [InlineData(SubscriptionTier.Enterprise, 999_00)]
    public void AWholeMonth_ChargesThePlansPrice(SubscriptionTier tier, long cents)
    {
        var lines = BaseCharges.For([Segment(tier, November.AddMonths(-3))], November);

        var line = Assert.Single(lines);
        Assert.Equal((cents, 1m, $"{tier} plan, November 2026"), (line.AmountCents, line.Fraction, line.Description));
    }

    [Fact]
    public void AMidMonthUpgrade_ChargesEachPlanForItsShare_ToTheCent()
    {
        // Starter for 10 of November's 30 days, then Professional for 20: 49 x 1/3 = 16.333.. -> 16.33; 199 x 2/3 = 132.666.. -> 132.67.
        var upgrade = November.AddDays(10);
        var lines = BaseCharges.For([Segment(SubscriptionTier.Starter, November.AddMonths(-2), upgrade), Segment(SubscriptionTier.Professional, upgrade)], November);

        Assert.Equal([16_33L, 132_67L], lines.Select(l => l.AmountCents));
        Assert.Contains("prorated", lines[0].Description);
        Assert.Equal(149_00L, lines.Sum(l => l.AmountCents));
    }

    [Fact]
    public void UnchargedTime_TrialOrAfterCancellation_CostsNothing()
    {
        var subscribed = November.AddDays(15);
        var lines = BaseCharges.For([Segment(SubscriptionTier.Starter, November.AddMonths(-1), subscribed, charged: false), Segment(SubscriptionTier.Starter, subscribed)], November);

        var line = Assert.Single(lines);
        Assert.Equal(24_50L, line.AmountCents);
    }

    [Fact]
    public void AnAnnualPlan_IsChargedTenTimesTheMonthlyPrice_InTheMonthItsTermStarts_AndNotInBetween()
    {
        var start = November.AddDays(5);
        var segments = new[] { Segment(SubscriptionTier.Professional, start, cycle: BillingCycle.Annual) };

        var first = Assert.Single(BaseCharges.For(segments, November));
        Assert.Equal(1_990_00L, first.AmountCents);
        Assert.Empty(BaseCharges.For(segments, November.AddMonths(1)));
        Assert.Empty(BaseCharges.For(segments, November.AddMonths(11)));
        Assert.Equal(1_990_00L, Assert.Single(BaseCharges.For(segments, November.AddMonths(12))).AmountCents);
    }

    [Fact]
    public void AnAnnualPlanEndedEarly_CreditsTheUnusedShareOfItsTerm()
    {
        // Starter annual from 1 November 2026; upgraded on 1 May 2027: 184 of the term's 365 days unused.
        var start = November;
        var ended = new DateTimeOffset(2027, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var segments = new[] { Segment(SubscriptionTier.Starter, start, ended, BillingCycle.Annual), Segment(SubscriptionTier.Professional, ended) };

        var may = BaseCharges.For(segments, ended);

        var credit = Assert.Single(may, l => l.Kind == InvoiceLineKind.Adjustment);
        Assert.Equal(-(long)Math.Round(490_00m * 184 / 365, MidpointRounding.AwayFromZero), credit.AmountCents);
        Assert.Equal(199_00L, Assert.Single(may, l => l.Kind == InvoiceLineKind.Base).AmountCents);
    }

    [Fact]
    public void At_FindsThePlanInForce()
    {
        var change = November.AddDays(10);
        var segments = new[] { Segment(SubscriptionTier.Starter, November.AddMonths(-1), change), Segment(SubscriptionTier.Professional, change) };

        Assert.Equal(SubscriptionTier.Starter, BaseCharges.At(segments, change.AddTicks(-1))!.Tier);
        Assert.Equal(SubscriptionTier.Professional, BaseCharges.At(segments, change)!.Tier);
        Assert.Null(BaseCharges.At(segments, November.AddMonths(-2)));
    }
}
