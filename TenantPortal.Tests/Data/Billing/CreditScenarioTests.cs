using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Stripe;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Billing.Credits;
using TenantPortal.Data.Services.Entitlements;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>
/// Prepaid credits over a real database, through the services and the invoicing job: consumed by invoices to the cent
/// (overage first, then base; priority, then soonest expiry), once per invoice however the job runs, revoked by operators,
/// granted once per Stripe Checkout session, and the low-balance alert once per crossing.
/// </summary>
public abstract class CreditScenarioTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : CreditScenarioTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : CreditScenarioTests(DatabaseProvider.PostgreSql);

    private static readonly DateTimeOffset October = BillingScenario.October;
    private static readonly DateTimeOffset November = BillingScenario.November;
    private static readonly DateTimeOffset December = November.AddMonths(1);
    private static readonly Uri ReturnUrl = new("http://localhost/t/credit/billing");
    private readonly BillingScenario _s = new(provider);

    public Task InitializeAsync() => _s.InitializeAsync();

    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public async Task CreditsConsumedAcrossTwoInvoices_WithAnExpiryInBetween_ComeOutToTheCent()
    {
        // Starter ($49.00); October 120,000 API calls (+$20.00 overage), November 150,000 (+$50.00).
        var tenant = await _s.AddTenantAsync("credit", SubscriptionTier.Starter, October);
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 120_000, October.AddDays(3));
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 150_000, November.AddDays(1));
        var op = await _s.OperatorAsync();
        // Priority 5 first, then priority 10 (expiring 1 December, between the two invoices), then the purchase (100).
        var early = await GrantAsync(op, tenant.Id, "operator", 3_000, priority: 5, expiresAt: December.AddDays(19));
        var expiring = await GrantAsync(op, tenant.Id, "promotional", 5_000, priority: 10, expiresAt: December);
        var bought = await _s.Services.RunAsync<CreditService, Result<CreditPurchaseOutcome>>(
            c => c.PurchaseAsync(_s.Bed.ActorOf("owner"), 4_000, ReturnUrl, CancellationToken.None), tenant.Id);
        Assert.True(bought.IsSuccess, bought.Error?.Message);

        await _s.InvoiceAsync(); // 22 November: October.

        var octoberInvoice = Assert.Single(await _s.InvoicesAsync(tenant.Id));
        var octoberCredit = Assert.Single(octoberInvoice.Lines, l => l.Kind == InvoiceLineKind.CreditsApplied);
        Assert.Equal((-6_900L, "Credits applied"), (octoberCredit.AmountCents, octoberCredit.Description));
        Assert.Equal((0L, InvoiceStatus.Paid), (octoberInvoice.TotalCents, octoberInvoice.Status));
        Assert.Equal([(expiring.Id, 3_900L), (early.Id, 3_000L)], await ConsumedAsync(octoberInvoice.Id));

        // 2 December 01:00: November is past its grace window; the promotional grant expired on 1 December with $11.00 left.
        _s.Bed.Time.SetUtcNow(December.AddHours(25));
        await _s.InvoiceAsync();

        var novemberInvoice = (await _s.InvoicesAsync(tenant.Id)).Single(i => i.PeriodStart == November);
        // Only the purchase is usable: $40.00 of the $50.00 overage; the base is not reached.
        Assert.Equal(-4_000, novemberInvoice.Lines.Single(l => l.Kind == InvoiceLineKind.CreditsApplied).AmountCents);
        Assert.Equal(4_900 + 5_000 - 4_000, novemberInvoice.TotalCents);
        Assert.Equal([(bought.Value.GrantId!.Value, 4_000L)], await ConsumedAsync(novemberInvoice.Id));
        var grants = await GrantsAsync(tenant.Id);
        Assert.Equal(0, grants.Single(g => g.Id == early.Id).RemainingCents);
        Assert.Equal(1_100, grants.Single(g => g.Id == expiring.Id).RemainingCents); // expired, never used
        Assert.Equal(0, grants.Single(g => g.Id == bought.Value.GrantId).RemainingCents);
        Assert.All(grants, g => Assert.InRange(g.RemainingCents, 0, g.AmountCents));
        Assert.Equal(0, CreditAllocator.Balance(grants, _s.Bed.Time.GetUtcNow()));
    }

    [Fact]
    public async Task InvoicingRunTwiceAndConcurrently_ConsumesCreditsOnce()
    {
        var tenant = await _s.AddTenantAsync("credit-once", SubscriptionTier.Starter, October);
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 120_000, October.AddDays(3));
        var grant = await GrantAsync(await _s.OperatorAsync(), tenant.Id, "operator", 10_000);

        await Task.WhenAll(_s.InvoiceAsync(), _s.InvoiceAsync(), _s.InvoiceAsync());
        await _s.InvoiceAsync();

        var invoice = Assert.Single(await _s.InvoicesAsync(tenant.Id));
        Assert.Equal(-6_900, Assert.Single(invoice.Lines, l => l.Kind == InvoiceLineKind.CreditsApplied).AmountCents);
        Assert.Equal([(grant.Id, 6_900L)], await ConsumedAsync(invoice.Id));
        Assert.Equal(3_100, (await GrantsAsync(tenant.Id)).Single().RemainingCents);
    }

    [Fact]
    public async Task UpcomingInvoicePreview_ShowsTheCreditsItWouldUse_AndConsumesNothing()
    {
        var tenant = await _s.AddTenantAsync("credit-preview", SubscriptionTier.Starter, October);
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 110_000, November.AddDays(2));
        await GrantAsync(await _s.OperatorAsync(), tenant.Id, "promotional", 1_500);

        var overview = await _s.BillingAsync(tenant.Id, b => b.GetOverviewAsync(_s.Bed.ActorOf("owner"), CancellationToken.None));
        var credits = await _s.Services.RunAsync<CreditService, Result<CreditOverview>>(
            c => c.GetOverviewAsync(_s.Bed.ActorOf("owner"), CancellationToken.None), tenant.Id);

        Assert.True(overview.IsSuccess, overview.Error?.Message);
        Assert.Equal(-1_500, overview.Value.Upcoming.Lines.Single(l => l.Kind == InvoiceLineKind.CreditsApplied).AmountCents);
        Assert.Equal(4_900 + 1_000 - 1_500, overview.Value.Upcoming.TotalCents);
        Assert.Equal((1_500L, 1_500L), (credits.Value.BalanceCents, credits.Value.ThisPeriodUseCents));
        // 22 November: 4,900 over 30 days plus 1,000 over 22 days = 208.79 cents a day; the period so far uses the whole balance: it runs out today.
        Assert.Equal(208.79m, credits.Value.DailyBurnCents);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero), credits.Value.ProjectedRunOutAt);
        Assert.Equal(1_500, (await GrantsAsync(tenant.Id)).Single().RemainingCents);
    }

    [Fact]
    public async Task OperatorRevoke_TakesBackTheUnusedPartOnly_OnceAndAudited()
    {
        var tenant = await _s.AddTenantAsync("credit-revoke", SubscriptionTier.Starter, October);
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 120_000, October.AddDays(3));
        var op = await _s.OperatorAsync();
        var grant = await GrantAsync(op, tenant.Id, "operator", 10_000);
        await _s.InvoiceAsync();

        var owner = await _s.Services.RunAsync<OperatorCreditService, Result<long>>(
            s => s.RevokeAsync(_s.Bed.ActorOf("owner"), tenant.Id, grant.Id, "not an operator", CancellationToken.None));
        var noReason = await _s.Services.RunAsync<OperatorCreditService, Result<long>>(s => s.RevokeAsync(op, tenant.Id, grant.Id, " ", CancellationToken.None));
        var revoked = await _s.Services.RunAsync<OperatorCreditService, Result<long>>(s => s.RevokeAsync(op, tenant.Id, grant.Id, "Goodwill ended", CancellationToken.None));
        var again = await _s.Services.RunAsync<OperatorCreditService, Result<long>>(s => s.RevokeAsync(op, tenant.Id, grant.Id, "Twice", CancellationToken.None));

        Assert.Equal(ErrorCodes.Forbidden, owner.Error?.Code);
        Assert.Equal(("invalid", "reason"), (noReason.Error?.Code, noReason.Error?.Field));
        Assert.True(revoked.IsSuccess, revoked.Error?.Message);
        Assert.Equal(3_100, revoked.Value);
        Assert.Equal(ErrorCodes.Conflict, again.Error?.Code);
        var stored = (await GrantsAsync(tenant.Id)).Single();
        Assert.Equal((0L, 3_100L, "Goodwill ended"), (stored.RemainingCents, stored.RevokedCents, stored.RevokeReason));
        var invoice = Assert.Single(await _s.InvoicesAsync(tenant.Id));
        Assert.Equal([(grant.Id, 6_900L)], await ConsumedAsync(invoice.Id));
        var audit = await AuditAsync(tenant.Id, AuditActions.CreditsRevoked);
        Assert.Contains("$31.00 unused of $100.00", Assert.Single(audit).Details);
    }

    [Fact]
    public async Task Purchase_OnAPlanWithoutTheCreditsEntitlement_IsRefused_UntilAnOperatorOverridesIt()
    {
        var tenant = await _s.AddTenantAsync("credit-free", SubscriptionTier.Free, October);
        var owner = _s.Bed.ActorOf("owner");

        var refused = await _s.Services.RunAsync<CreditService, Result<CreditPurchaseOutcome>>(
            c => c.PurchaseAsync(owner, 2_500, ReturnUrl, CancellationToken.None), tenant.Id);
        var overview = await _s.Services.RunAsync<CreditService, Result<CreditOverview>>(
            c => c.GetOverviewAsync(owner, CancellationToken.None), tenant.Id);

        Assert.Equal(ErrorCodes.Conflict, refused.Error?.Code);
        Assert.Contains("not included in the Free plan", refused.Error!.Message, StringComparison.Ordinal);
        Assert.False(overview.Value.Purchasable);
        Assert.Empty(await GrantsAsync(tenant.Id));

        // An operator's override of the entitlement lets another Free tenant buy credits.
        var pilot = await _s.AddTenantAsync("credit-pilot", SubscriptionTier.Free, October);
        var op = await _s.OperatorAsync();
        var overridden = await _s.Services.RunAsync<EntitlementOverrideService, Result>(
            e => e.SetAsync(op, pilot.Id, new EntitlementOverrideRequest(EntitlementFeatures.Credits, true, null, null), "pilot customer", CancellationToken.None));
        Assert.True(overridden.IsSuccess, overridden.Error?.Message);
        var bought = await _s.Services.RunAsync<CreditService, Result<CreditPurchaseOutcome>>(
            c => c.PurchaseAsync(owner, 2_500, ReturnUrl, CancellationToken.None), pilot.Id);

        Assert.True(bought.IsSuccess, bought.Error?.Message);
        Assert.Equal(2_500L, Assert.Single(await GrantsAsync(pilot.Id)).AmountCents);
    }

    [Fact]
    public async Task OperatorGrant_RefusesBadInput_NamingTheField_AndStoresNothing()
    {
        var tenant = await _s.AddTenantAsync("credit-bad", SubscriptionTier.Starter, October);
        var op = await _s.OperatorAsync();
        (string? Source, long Cents, int? Priority, DateTimeOffset? Expires, string? Reason, string Field)[] cases =
        [
            ("purchase", 100, null, null, "x", "source"),
            ("gift", 100, null, null, "x", "source"),
            ("operator", 0, null, null, "x", "amountCents"),
            ("operator", -5, null, null, "x", "amountCents"),
            ("operator", CreditRules.MaxGrantCents + 1, null, null, "x", "amountCents"),
            ("operator", 100, -1, null, "x", "priority"),
            ("operator", 100, null, _s.Bed.Time.GetUtcNow().AddDays(-1), "x", "expiresAt"),
            ("operator", 100, null, null, "", "reason"),
            ("operator", 100, null, null, new string('r', 501), "reason"),
        ];
        foreach (var c in cases)
        {
            var result = await _s.Services.RunAsync<OperatorCreditService, Result<CreditGrantRow>>(
                s => s.GrantAsync(op, tenant.Id, new CreditGrantRequest(c.Source, c.Cents, c.Priority, c.Expires, c.Reason), CancellationToken.None));
            Assert.Equal((ErrorCodes.Invalid, c.Field), (result.Error?.Code, result.Error?.Field));
        }
        Assert.Empty(await GrantsAsync(tenant.Id));
    }

    [Fact]
    public async Task LowBalanceAlert_FiresOncePerCrossing_AndReArmsAboveTheThreshold()
    {
        var tenant = await _s.AddTenantAsync("credit-low", SubscriptionTier.Starter, October);
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 120_000, October.AddDays(3));
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 150_000, November.AddDays(1));
        var owner = _s.Bed.ActorOf("owner");
        await GrantAsync(await _s.OperatorAsync(), tenant.Id, "operator", 10_000);
        var set = await _s.Services.RunAsync<CreditService, Result>(c => c.SetLowBalanceThresholdAsync(owner, 5_000, CancellationToken.None), tenant.Id);
        Assert.True(set.IsSuccess, set.Error?.Message);
        Assert.Empty(await LowBalanceNoticesAsync(tenant.Id));

        await _s.InvoiceAsync(); // October takes 6,900: 3,100 left, below 5,000.
        var mails = LowBalanceMails();
        await _s.Services.RunAsync<CreditAlertService, int>(a => a.RunAsync(CancellationToken.None));
        await _s.Services.RunAsync<CreditAlertService, int>(a => a.RunAsync(CancellationToken.None));

        Assert.Equal([CreditAlertService.NoticeKey(tenant.Id, 1)], await LowBalanceNoticesAsync(tenant.Id));
        Assert.True(mails > 0);
        Assert.Equal(mails, LowBalanceMails());

        // A purchase lifts the balance to 8,100: re-armed. November's invoice (9,900) takes it all: the second crossing.
        await _s.Services.RunAsync<CreditService, Result<CreditPurchaseOutcome>>(c => c.PurchaseAsync(owner, 5_000, ReturnUrl, CancellationToken.None), tenant.Id);
        Assert.Single(await LowBalanceNoticesAsync(tenant.Id));
        _s.Bed.Time.SetUtcNow(December.AddHours(25));
        await _s.InvoiceAsync();
        await _s.Services.RunAsync<CreditAlertService, int>(a => a.RunAsync(CancellationToken.None));

        Assert.Equal([CreditAlertService.NoticeKey(tenant.Id, 1), CreditAlertService.NoticeKey(tenant.Id, 2)], await LowBalanceNoticesAsync(tenant.Id));
        Assert.Equal(2, await AuditCountAsync(tenant.Id, AuditActions.CreditsLowBalance));
    }

    [Fact]
    public async Task LowBalanceAlert_FiresWhenAGrantExpires_FromTheJobPass()
    {
        var tenant = await _s.AddTenantAsync("credit-expire", SubscriptionTier.Starter, October);
        var owner = _s.Bed.ActorOf("owner");
        await GrantAsync(await _s.OperatorAsync(), tenant.Id, "promotional", 2_000, expiresAt: November.AddDays(25));
        await _s.Services.RunAsync<CreditService, Result>(c => c.SetLowBalanceThresholdAsync(owner, 1_000, CancellationToken.None), tenant.Id);
        Assert.Empty(await LowBalanceNoticesAsync(tenant.Id));

        _s.Bed.Time.SetUtcNow(November.AddDays(25).AddMinutes(5));
        Assert.Equal(1, await _s.Services.RunAsync<CreditAlertService, int>(a => a.RunAsync(CancellationToken.None)));
        Assert.Equal(0, await _s.Services.RunAsync<CreditAlertService, int>(a => a.RunAsync(CancellationToken.None)));

        Assert.Single(await LowBalanceNoticesAsync(tenant.Id));
    }

    [Fact]
    public async Task CheckoutWebhook_GrantsOncePerSession_RepeatedOutOfOrderAndConcurrently()
    {
        var tenant = await _s.AddTenantAsync("credit-stripe", SubscriptionTier.Starter, October);
        var now = _s.Bed.Time.GetUtcNow();
        // Out of order: the async payment's success first, then the completion (unpaid at completion time), then the completion again.
        await _s.DeliverAsync(StripeEventBuilder.Event("evt_async", EventTypes.CheckoutSessionAsyncPaymentSucceeded, now.AddSeconds(-5),
            CreditSession("cs_credit_1", tenant.Id, 2_500, "paid")));
        await _s.DeliverAsync(StripeEventBuilder.Event("evt_done", EventTypes.CheckoutSessionCompleted, now.AddSeconds(-10),
            CreditSession("cs_credit_1", tenant.Id, 2_500, "unpaid")));
        await _s.DeliverAsync(StripeEventBuilder.Event("evt_done_again", EventTypes.CheckoutSessionCompleted, now.AddSeconds(-9),
            CreditSession("cs_credit_1", tenant.Id, 2_500, "paid")));
        // Another session's events, concurrently.
        var concurrent = Enumerable.Range(0, 4).Select(i => _s.DeliverAsync(StripeEventBuilder.Event($"evt_c{i}",
            i % 2 == 0 ? EventTypes.CheckoutSessionCompleted : EventTypes.CheckoutSessionAsyncPaymentSucceeded, now.AddSeconds(-i),
            CreditSession("cs_credit_2", tenant.Id, 10_000, "paid"))));
        await Task.WhenAll(concurrent);

        var grants = await GrantsAsync(tenant.Id);
        Assert.Equal([("cs_credit_1", 2_500L), ("cs_credit_2", 10_000L)],
            grants.OrderBy(g => g.CheckoutSessionId).Select(g => (g.CheckoutSessionId!, g.AmountCents)));
        Assert.All(grants, g => Assert.Equal((CreditSource.Purchase, 100), (g.Source, g.Priority)));
        Assert.Equal(2, await AuditCountAsync(tenant.Id, AuditActions.CreditsPurchased));
    }

    [Fact]
    public async Task CheckoutWebhook_OfASubscription_StillStartsTheSubscription()
    {
        var tenant = await _s.AddTenantAsync("credit-sub", SubscriptionTier.Starter, October, TenantStatus.Trial, charged: false);

        await _s.DeliverAsync(StripeEventBuilder.Event("evt_sub", EventTypes.CheckoutSessionCompleted, _s.Bed.Time.GetUtcNow().AddSeconds(-1),
            StripeEventBuilder.CheckoutSession("cs_sub", "cus_sub", "sub_sub", tenant.Id)));

        var after = await _s.TenantAsync(tenant.Id);
        Assert.Equal(("sub_sub", TenantStatus.Active, SubscriptionTier.Professional), (after.StripeSubscriptionId, after.Status, after.Tier));
        Assert.Empty(await GrantsAsync(tenant.Id));
    }

    private static JsonObject CreditSession(string id, Guid tenantId, long cents, string paymentStatus) => new()
    {
        ["id"] = id,
        ["object"] = "checkout.session",
        ["mode"] = "payment",
        ["status"] = "complete",
        ["payment_status"] = paymentStatus,
        ["amount_total"] = cents,
        ["currency"] = "usd",
        ["client_reference_id"] = tenantId.ToString(),
        ["metadata"] = new JsonObject { ["tenant_id"] = tenantId.ToString(), ["purpose"] = "credits", ["amount_cents"] = cents.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    private async Task<CreditGrantRow> GrantAsync(Actor op, Guid tenantId, string source, long cents, int? priority = null, DateTimeOffset? expiresAt = null)
    {
        var result = await _s.Services.RunAsync<OperatorCreditService, Result<CreditGrantRow>>(
            s => s.GrantAsync(op, tenantId, new CreditGrantRequest(source, cents, priority, expiresAt, $"{source} credits for the test"), CancellationToken.None));
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    private async Task<List<CreditGrant>> GrantsAsync(Guid tenantId)
    {
        await using var db = _s.Bed.Database.CrossTenant();
        return await db.CreditGrants.AsNoTracking().Where(g => g.TenantId == tenantId).ToListAsync();
    }

    private async Task<List<(Guid, long)>> ConsumedAsync(Guid invoiceId)
    {
        await using var db = _s.Bed.Database.CrossTenant();
        return (await db.CreditConsumptions.AsNoTracking().Where(c => c.InvoiceId == invoiceId).OrderByDescending(c => c.AmountCents)
            .Select(c => new { c.GrantId, c.AmountCents }).ToListAsync()).Select(c => (c.GrantId, c.AmountCents)).ToList();
    }

    private async Task<List<string>> LowBalanceNoticesAsync(Guid tenantId)
    {
        await using var db = _s.Bed.Database.CrossTenant();
        return (await db.Notifications.AsNoTracking().Where(n => n.TenantId == tenantId && n.DeduplicationKey != null && n.DeduplicationKey.StartsWith("credits:low_balance:"))
            .Select(n => n.DeduplicationKey!).Distinct().ToListAsync()).Order(StringComparer.Ordinal).ToList();
    }

    private int LowBalanceMails() => _s.Bed.Mail.Sent.Count(m => m.Subject.EndsWith(": Credit balance is low", StringComparison.Ordinal));

    private async Task<List<AuditEntry>> AuditAsync(Guid tenantId, string action)
    {
        await using var db = _s.Bed.Database.CrossTenant();
        return await db.AuditEntries.AsNoTracking().Where(e => e.TenantId == tenantId && e.Action == action).ToListAsync();
    }

    private async Task<int> AuditCountAsync(Guid tenantId, string action) => (await AuditAsync(tenantId, action)).Count;
}
