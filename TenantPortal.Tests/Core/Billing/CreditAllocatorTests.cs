using TenantPortal.Core.Billing;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Usage;

namespace TenantPortal.Tests.Core.Billing;

public class CreditAllocatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly Guid TenantId = Guid.NewGuid();

    [Fact]
    public void Apply_PaysOverageFirstThenBase_InPriorityThenExpiryOrder()
    {
        var invoice = Invoice(baseCents: 4_900, overageCents: 2_000);
        var late = Grant(3_000, priority: 10, expiresAt: Now.AddDays(30));
        var soon = Grant(1_000, priority: 10, expiresAt: Now.AddDays(3));
        var first = Grant(500, priority: 1);
        var never = Grant(500, priority: 10);

        var allocation = CreditAllocator.Apply(invoice, [late, never, soon, first], Now);


        // 5,000 of credits on a 6,900 invoice: the 2,000 overage, then 3,000 of the base.
        Assert.Equal((5_000L, 2_000L, 3_000L, 0L), (allocation.TotalCents, allocation.OverageCents, allocation.BaseCents, allocation.AdjustmentCents));
        Assert.Equal([(first, 500L), (soon, 1_000L), (late, 3_000L), (never, 500L)], allocation.Draws.Select(d => (d.Grant, d.Cents)));
        Assert.All([first, soon, late, never], g => Assert.Equal(0, g.RemainingCents));
        var line = Assert.Single(invoice.Lines, l => l.Kind == InvoiceLineKind.CreditsApplied);
        Assert.Equal((-5_000L, "Credits applied", 2), (line.AmountCents, line.Description, line.Position));
        Assert.Equal(1_900, invoice.TotalCents);
    }

    [Fact]
    public void Apply_NeverTakesTheTotalBelowZero_AndLeavesTheRestOnTheGrant()
    {
        var invoice = Invoice(baseCents: 4_900, overageCents: 0, adjustmentCents: -1_000);
        var grant = Grant(10_000);

        var allocation = CreditAllocator.Apply(invoice, [grant], Now);

        Assert.Equal((3_900L, 0L, 3_900L), (allocation.TotalCents, allocation.OverageCents, allocation.BaseCents));
        Assert.Equal(0, invoice.TotalCents);
        Assert.Equal(6_100, grant.RemainingCents);
    }

    [Fact]
    public void Allocate_IgnoresExpiredRevokedAndFutureGrants()
    {
        var invoice = Invoice(baseCents: 4_900, overageCents: 0);
        var expired = Grant(1_000, expiresAt: Now.AddDays(1), createdAt: Now.AddDays(-5));
        var revoked = Grant(1_000);
        Assert.True(revoked.Revoke("op", "test", Now).IsSuccess);
        var future = Grant(1_000, createdAt: Now.AddDays(3));
        var at = Now.AddDays(2);

        Assert.Equal(0, CreditAllocator.Allocate(invoice, [expired, revoked, future], at).TotalCents);
        Assert.Equal(0, CreditAllocator.Balance([expired, revoked, future], at));
        Assert.Equal(1_000, CreditAllocator.Balance([expired, revoked, future], Now)); // the one not expired yet
        Assert.Equal(1_000, CreditAllocator.Balance([expired, revoked, future], Now.AddDays(3))); // the later one, once given
    }

    [Fact]
    public void Grant_NeverGoesNegative_AndRevokesOnlyTheUnusedPart()
    {
        var grant = Grant(1_000);

        Assert.True(grant.Consume(400, Now).IsSuccess);
        Assert.False(grant.Consume(601, Now).IsSuccess);
        Assert.False(grant.Consume(0, Now).IsSuccess);
        var revoked = grant.Revoke("op@example.test", "  Goodwill ended ", Now);

        Assert.Equal(600, revoked.Value);
        Assert.Equal((0L, 600L, "Goodwill ended"), (grant.RemainingCents, grant.RevokedCents, grant.RevokeReason));
        Assert.False(grant.Consume(1, Now).IsSuccess);
        Assert.False(grant.Revoke("op", "again", Now).IsSuccess);
    }

    [Fact]
    public void Account_FiresOncePerCrossing_AndReArmsAtOrAboveTheThreshold()
    {
        var account = new CreditAccount { TenantId = TenantId };
        Assert.True(account.SetThreshold(1_000, Now).IsSuccess);

        Assert.False(account.Evaluate(5_000, Now));
        Assert.True(account.Evaluate(999, Now));
        Assert.False(account.Evaluate(500, Now));
        Assert.False(account.Evaluate(1_000, Now)); // back at the threshold: re-armed
        Assert.True(account.Evaluate(0, Now));
        Assert.Equal(2, account.LowBalanceAlerts);
        Assert.False(account.SetThreshold(-1, Now).IsSuccess);
    }

    [Theory]
    [InlineData(10_000, 0, 100.0, "2027-02-08")]  // 100 days of 100 cents from 1 November
    [InlineData(10_000, 10_000, 100.0, "2026-11-22")] // the period so far uses it all: today
    [InlineData(1_000, 0, 100.0, "2026-11-22")] // reached on 10 November already: today
    public void RunOut_IsTheDayTheAccruedChargesReachTheBalance(long balance, long used, double burn, string expected)
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

        var at = CreditRunway.RunOutAt(balance, used, (decimal)burn, start, now);

        Assert.Equal(DateTimeOffset.Parse(expected + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), at);
    }

    [Fact]
    public void RunOut_IsNotAtThisRate_WithoutCharges()
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(CreditRunway.RunOutAt(5_000, 0, 0m, start, start.AddDays(3)));
        Assert.Equal(4_900m / 30 + 1_000m / 22, CreditRunway.DailyBurnCents(4_900, 1_000, start, start.AddMonths(1), start.AddDays(21).AddHours(12)));
    }

    private static CreditGrant Grant(long cents, int priority = 50, DateTimeOffset? expiresAt = null, DateTimeOffset? createdAt = null)
    {
        var at = createdAt ?? Now.AddDays(-1);
        return CreditGrant.Create(TenantId, CreditSource.Operator, cents, priority, expiresAt, "test", "op", at).Value;
    }

    private static Invoice Invoice(long baseCents, long overageCents, long adjustmentCents = 0)
    {
        var invoice = new Invoice { TenantId = TenantId, Number = "T-202610" };
        invoice.Lines.Add(new InvoiceLine { TenantId = TenantId, Kind = InvoiceLineKind.Base, Description = "Base", Quantity = 1, AmountCents = baseCents });
        if (overageCents != 0)
            invoice.Lines.Add(new InvoiceLine { TenantId = TenantId, Kind = InvoiceLineKind.Overage, Metric = UsageMetric.ApiCalls, Description = "Over", AmountCents = overageCents });
        if (adjustmentCents != 0)
            invoice.Lines.Add(new InvoiceLine { TenantId = TenantId, Kind = InvoiceLineKind.Adjustment, Description = "Proration", AmountCents = adjustmentCents });
        invoice.RecalculateTotal();
        return invoice;
    }
}
