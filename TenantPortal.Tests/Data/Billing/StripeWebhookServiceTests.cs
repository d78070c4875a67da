using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Billing.Webhooks;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Builders.StripeEventBuilder;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>
/// The Stripe webhook inbox on the SQLite test database: alpha is linked to <c>cus_alpha</c>/<c>sub_alpha</c>, beta to
/// <c>cus_beta</c>/<c>sub_beta</c>; both are Active on Starter monthly. Each test works on its own copy of the database.
/// </summary>
public abstract class StripeWebhookServiceTests(TenancyTestBed template) : IAsyncLifetime
{
    public sealed class Sqlite(TenancyTestBed template) : StripeWebhookServiceTests(template), IClassFixture<TenancyTestBed>;

    public sealed class PostgreSql(TenancyTestBed.OnPostgreSql template) : StripeWebhookServiceTests(template), IClassFixture<TenancyTestBed.OnPostgreSql>;

    private readonly TenancyTestBed _bed = template.Clone();
    private ServiceProvider _services = default!;
    private DateTimeOffset T0 => _bed.Time.GetUtcNow().AddMinutes(-30);

    public async Task InitializeAsync()
    {
        _services = BuildServices(WebhookSecret: Secret);
        await using var db = _bed.Database.CrossTenant();
        foreach (var (id, name) in new[] { (_bed.AlphaId, "alpha"), (_bed.BetaId, "beta") })
        {
            (await db.Tenants.SingleAsync(t => t.Id == id)).LinkStripe($"cus_{name}", $"sub_{name}");
            db.PlanSegments.Add(new PlanSegment { TenantId = id, Tier = SubscriptionTier.Starter, Cycle = BillingCycle.Monthly, Charged = true, StartsAt = T0.AddDays(-40) });
        }
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _bed.DisposeAsync();
    }

    [Fact]
    public async Task Receive_HasOneEffect_WhenTheSameEventIsDeliveredFiveTimes()
    {
        var payload = Event("evt_failed_1", "invoice.payment_failed", T0, Invoice("in_sub_1", "cus_alpha", "open", subscription: "sub_alpha"));

        var outcomes = new List<WebhookReceiptOutcome>();
        for (var i = 0; i < 5; i++)
            outcomes.Add((await ReceiveAsync(payload)).Outcome);

        Assert.Equal(new[] { WebhookReceiptOutcome.Processed }.Concat(Enumerable.Repeat(WebhookReceiptOutcome.Duplicate, 4)), outcomes);
        await using var db = _bed.Database.CrossTenant();
        var row = await db.StripeWebhookEvents.SingleAsync();
        Assert.Equal((WebhookOutcome.Processed, 1, _bed.AlphaId), (row.Outcome, row.Attempts, row.TenantId));
        Assert.Single(await db.AuditEntries.Where(a => a.Action == AuditActions.BillingStatusChanged).ToListAsync());
        // One notice per owner of alpha (owner, owner2), and one email each.
        Assert.Equal(2, await db.Notifications.CountAsync(n => n.DeduplicationKey == "billing:payment_failed:in_sub_1"));
        Assert.Equal(2, _bed.Mail.Sent.Count);
    }

    [Fact]
    public async Task Receive_LeavesTheTenantCancelled_WhenUpdatedArrivesAfterDeletedInTheSameSecond()
    {
        var deleted = await ReceiveAsync(Event("evt_del", "customer.subscription.deleted", T0,
            Subscription("sub_alpha", "cus_alpha", "canceled", "tenantportal_starter_monthly", T0.AddDays(-40), T0.AddDays(5), endedAt: T0)));
        var updated = await ReceiveAsync(Event("evt_upd", "customer.subscription.updated", T0,
            Subscription("sub_alpha", "cus_alpha", "active", "tenantportal_professional_monthly", T0.AddDays(-40), T0.AddDays(5))));

        Assert.Equal(WebhookReceiptOutcome.Processed, deleted.Outcome);
        Assert.Equal(WebhookReceiptOutcome.Ignored, updated.Outcome);
        Assert.Contains("final", updated.Message);
        var alpha = await TenantAsync(_bed.AlphaId);
        Assert.Equal((TenantStatus.Cancelled, SubscriptionTier.Starter, false), (alpha.Status, alpha.Tier, alpha.CancelAtPeriodEnd));
        await using var db = _bed.Database.CrossTenant();
        var open = await db.PlanSegments.SingleAsync(s => s.TenantId == _bed.AlphaId && s.EndsAt == null);
        Assert.Equal((false, T0), (open.Charged, open.StartsAt));
        Assert.Single(await db.AuditEntries.Where(a => a.TenantId == _bed.AlphaId && a.Action == AuditActions.SubscriptionCancelled).ToListAsync());
    }

    [Fact]
    public async Task Receive_KeepsTheDeletionOfAnUnknownSubscription_WhileAnotherIsLive_AndAppliesItOnceTheSubscriptionIsKnown()
    {
        var deleted = await ReceiveAsync(Event("evt_del_b", "customer.subscription.deleted", T0.AddMinutes(10),
            Subscription("sub_b", "cus_alpha", "canceled", "tenantportal_professional_monthly", T0, T0.AddDays(30), _bed.AlphaId, endedAt: T0.AddMinutes(10))));
        var waiting = await TenantAsync(_bed.AlphaId);
        var created = await ReceiveAsync(Event("evt_new_b", "customer.subscription.created", T0,
            Subscription("sub_b", "cus_alpha", "active", "tenantportal_professional_monthly", T0, T0.AddDays(30), _bed.AlphaId)));

        Assert.Equal(WebhookReceiptOutcome.Failed, deleted.Outcome);
        Assert.StartsWith("Waiting for subscription sub_b", deleted.Message);
        Assert.Equal((TenantStatus.Active, "sub_alpha"), (waiting.Status, waiting.StripeSubscriptionId));
        Assert.Equal(WebhookReceiptOutcome.Processed, created.Outcome);
        var alpha = await TenantAsync(_bed.AlphaId);
        Assert.Equal((TenantStatus.Cancelled, "sub_b", SubscriptionTier.Professional, T0.AddMinutes(10)),
            (alpha.Status, alpha.StripeSubscriptionId, alpha.Tier, alpha.StripeStateAt));
        await using var db = _bed.Database.CrossTenant();
        Assert.Equal(WebhookOutcome.Processed, (await db.StripeWebhookEvents.SingleAsync(e => e.StripeEventId == "evt_del_b")).Outcome);
    }

    [Fact]
    public async Task Receive_MovesThroughPastDueToActive_WhenAPaymentFailsThenSucceeds()
    {
        await ReceiveAsync(Event("evt_fail", "invoice.payment_failed", T0, Invoice("in_1", "cus_alpha", "open", subscription: "sub_alpha")));
        var between = await TenantAsync(_bed.AlphaId);
        await ReceiveAsync(Event("evt_paid", "invoice.paid", T0.AddHours(1), Invoice("in_1", "cus_alpha", "paid", subscription: "sub_alpha", paidAt: T0.AddHours(1))));

        Assert.Equal((TenantStatus.PastDue, T0), (between.Status, between.PastDueSince));
        var after = await TenantAsync(_bed.AlphaId);
        Assert.Equal((TenantStatus.Active, (DateTimeOffset?)null), (after.Status, after.PastDueSince));
        await using var db = _bed.Database.CrossTenant();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.TenantId == _bed.AlphaId && a.Action == AuditActions.BillingStatusChanged));
        var notice = await db.Notifications.FirstAsync(n => n.DeduplicationKey == "billing:payment_failed:in_1");
        Assert.Equal(NotificationSeverity.Error, notice.Severity);
        Assert.Contains("NR-in_1", notice.Message);
        Assert.Contains("suspended 7 days after", notice.Message);
    }

    [Fact]
    public async Task Receive_EndsActive_WhenTheFailureOfAnInvoiceArrivesAfterItsPayment()
    {
        await ReceiveAsync(Event("evt_paid", "invoice.paid", T0.AddHours(1), Invoice("in_1", "cus_alpha", "paid", subscription: "sub_alpha")));
        var late = await ReceiveAsync(Event("evt_fail", "invoice.payment_failed", T0, Invoice("in_1", "cus_alpha", "open", subscription: "sub_alpha")));

        Assert.Equal(WebhookReceiptOutcome.Ignored, late.Outcome);
        Assert.Equal(TenantStatus.Active, (await TenantAsync(_bed.AlphaId)).Status);
        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.Notifications.AnyAsync());
    }

    [Fact]
    public async Task Receive_IgnoresAnOlderUpdate_ArrivingAfterANewerOne()
    {
        var newer = await ReceiveAsync(Event("evt_new", "customer.subscription.updated", T0.AddMinutes(5),
            Subscription("sub_alpha", "cus_alpha", "active", "tenantportal_professional_annual", T0.AddDays(-40), T0.AddDays(300))));
        var older = await ReceiveAsync(Event("evt_old", "customer.subscription.updated", T0,
            Subscription("sub_alpha", "cus_alpha", "past_due", "tenantportal_enterprise_monthly", T0.AddDays(-40), T0.AddDays(5), cancelAtPeriodEnd: true)));

        Assert.Equal(WebhookReceiptOutcome.Processed, newer.Outcome);
        Assert.Equal(WebhookReceiptOutcome.Ignored, older.Outcome);
        Assert.Contains("Older than the tenant's Stripe state", older.Message);
        var alpha = await TenantAsync(_bed.AlphaId);
        Assert.Equal((TenantStatus.Active, SubscriptionTier.Professional, BillingCycle.Annual, false),
            (alpha.Status, alpha.Tier, alpha.BillingCycle, alpha.CancelAtPeriodEnd));
        Assert.Equal((T0.AddDays(300), T0.AddMinutes(5)), (alpha.CurrentPeriodEndsAt, alpha.StripeStateAt));
        await using var db = _bed.Database.CrossTenant();
        Assert.Equal("Older than", (await db.StripeWebhookEvents.SingleAsync(e => e.StripeEventId == "evt_old")).Error![..10]);
        var segments = await db.PlanSegments.Where(s => s.TenantId == _bed.AlphaId).OrderBy(s => s.StartsAt).ToListAsync();
        Assert.Equal(new[] { (SubscriptionTier.Starter, true), (SubscriptionTier.Professional, true) }, segments.Select(s => (s.Tier, s.Charged)));
        Assert.Equal(T0.AddMinutes(5), segments[1].StartsAt);
    }

    [Fact]
    public async Task Receive_MirrorsALocalInvoice_WhenFinalizedThenPaid()
    {
        var local = await AddInvoiceAsync(_bed.AlphaId, "ALPHA-202609");

        await ReceiveAsync(Event("evt_fin", "invoice.finalized", T0, Invoice("in_local", "cus_alpha", "open", localInvoiceId: local)));
        var open = await InvoiceAsync(local);
        await ReceiveAsync(Event("evt_paid", "invoice.paid", T0.AddHours(2), Invoice("in_local", "cus_alpha", "paid", paidAt: T0.AddHours(2))));
        // A stale finalized (an older redelivery) must not take the payment back.
        var stale = await ReceiveAsync(Event("evt_fin_again", "invoice.finalized", T0.AddHours(1), Invoice("in_local", "cus_alpha", "open", localInvoiceId: local)));

        Assert.Equal((InvoiceStatus.Open, "in_local", "https://invoice.stripe.test/in_local"), (open.Status, open.StripeInvoiceId, open.HostedUrl));
        var paid = await InvoiceAsync(local);
        Assert.Equal((InvoiceStatus.Paid, T0.AddHours(2), T0.AddHours(2)), (paid.Status, paid.PaidAt, paid.StripeStateAt));
        Assert.Equal(WebhookReceiptOutcome.Ignored, stale.Outcome);
        await using var db = _bed.Database.CrossTenant();
        Assert.Single(await db.AuditEntries.Where(a => a.Action == AuditActions.InvoicePaid && a.Target == "ALPHA-202609").ToListAsync());
    }

    [Fact]
    public async Task Receive_ChangesNoLocalInvoice_ForTheSubscriptionsOwnInvoice()
    {
        var local = await AddInvoiceAsync(_bed.AlphaId, "ALPHA-202609");

        var receipt = await ReceiveAsync(Event("evt_fin", "invoice.finalized", T0, Invoice("in_subscription", "cus_alpha", "open", subscription: "sub_alpha")));

        Assert.Equal(WebhookReceiptOutcome.Ignored, receipt.Outcome);
        var invoice = await InvoiceAsync(local);
        Assert.Equal((InvoiceStatus.Draft, (string?)null), (invoice.Status, invoice.StripeInvoiceId));
    }

    [Fact]
    public async Task AnEventOfAnUnknownCustomer_Waits_AndIsProcessedAsSoonAsACheckoutLinksIt()
    {
        var gamma = await AddUnlinkedTenantAsync("gamma");
        var gammaInvoice = await AddInvoiceAsync(gamma, "GAMMA-202610");
        var early = await ReceiveAsync(Event("evt_fin", "invoice.finalized", T0, Invoice("in_gamma", "cus_new", "open", localInvoiceId: gammaInvoice)));
        var nothingYet = await CallAsync(w => w.RetryFailedAsync(CancellationToken.None));

        var checkout = await ReceiveAsync(Event("evt_checkout", "checkout.session.completed", T0.AddMinutes(1),
            CheckoutSession("cs_1", "cus_new", "sub_new", gamma, "professional", "annual")));
        var retried = await CallAsync(w => w.RetryFailedAsync(CancellationToken.None));

        Assert.Equal(WebhookReceiptOutcome.Failed, early.Outcome);
        Assert.Contains("cus_new", early.Message);
        Assert.Equal(WebhookReceiptOutcome.Failed, Assert.Single(nothingYet).Outcome);
        Assert.Equal(WebhookReceiptOutcome.Processed, checkout.Outcome);
        // The checkout linked the customer, which set off the waiting event: the retry job finds nothing left.
        Assert.Empty(retried);
        await using var db = _bed.Database.CrossTenant();
        var row = await db.StripeWebhookEvents.SingleAsync(e => e.StripeEventId == "evt_fin");
        Assert.Equal((WebhookOutcome.Processed, 3, (string?)null, gamma), (row.Outcome, row.Attempts, row.Error, row.TenantId));
        Assert.Equal((InvoiceStatus.Open, "in_gamma"), ((await InvoiceAsync(gammaInvoice)).Status, (await InvoiceAsync(gammaInvoice)).StripeInvoiceId));
        var tenant = await TenantAsync(gamma);
        Assert.Equal(("cus_new", "sub_new", TenantStatus.Active, SubscriptionTier.Professional, BillingCycle.Annual),
            (tenant.StripeCustomerId, tenant.StripeSubscriptionId, tenant.Status, tenant.Tier, tenant.BillingCycle));
        Assert.Single(await db.AuditEntries.Where(a => a.TenantId == gamma && a.Action == AuditActions.SubscriptionStarted).ToListAsync());
    }

    [Fact]
    public async Task Receive_StaysFailed_AndRollsBack_WhenApplyingTheEventThrows()
    {
        var gamma = await AddUnlinkedTenantAsync("gamma");
        // gamma's checkout names beta's customer: linking it breaks the unique customer index.
        var receipt = await ReceiveAsync(Event("evt_checkout", "checkout.session.completed", T0,
            CheckoutSession("cs_1", "cus_beta", "sub_other", gamma)));

        Assert.Equal(WebhookReceiptOutcome.Failed, receipt.Outcome);
        await using var db = _bed.Database.CrossTenant();
        var row = await db.StripeWebhookEvents.SingleAsync();
        Assert.Equal((WebhookOutcome.Failed, 1), (row.Outcome, row.Attempts));
        Assert.False(string.IsNullOrEmpty(row.Error));
        var tenant = await TenantAsync(gamma);
        Assert.Equal(((string?)null, (string?)null, SubscriptionTier.Starter), (tenant.StripeCustomerId, tenant.StripeSubscriptionId, tenant.Tier));
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.SubscriptionStarted));
    }

    [Fact]
    public async Task Receive_NeverTouchesAnotherTenant_WhenAnEventMixesUpTenantsAndInvoices()
    {
        var betaInvoice = await AddInvoiceAsync(_bed.BetaId, "BETA-202610");

        // Metadata names alpha, but the customer is beta's.
        var mixed = await ReceiveAsync(Event("evt_mixed", "customer.subscription.updated", T0,
            Subscription("sub_beta", "cus_beta", "past_due", "tenantportal_enterprise_monthly", T0.AddDays(-40), T0.AddDays(5), tenantId: _bed.AlphaId)));
        // alpha's payment points at beta's local invoice.
        var foreign = await ReceiveAsync(Event("evt_foreign", "invoice.paid", T0, Invoice("in_x", "cus_alpha", "paid", localInvoiceId: betaInvoice)));
        // alpha's own change leaves beta alone.
        await ReceiveAsync(Event("evt_alpha", "customer.subscription.updated", T0,
            Subscription("sub_alpha", "cus_alpha", "past_due", "tenantportal_enterprise_monthly", T0.AddDays(-40), T0.AddDays(5))));

        Assert.Equal(WebhookReceiptOutcome.Ignored, mixed.Outcome);
        Assert.Equal(WebhookReceiptOutcome.Ignored, foreign.Outcome);
        var beta = await TenantAsync(_bed.BetaId);
        Assert.Equal((TenantStatus.Active, SubscriptionTier.Starter, (DateTimeOffset?)null), (beta.Status, beta.Tier, beta.StripeStateAt));
        Assert.Equal((InvoiceStatus.Draft, (string?)null), ((await InvoiceAsync(betaInvoice)).Status, (await InvoiceAsync(betaInvoice)).StripeInvoiceId));
        var alpha = await TenantAsync(_bed.AlphaId);
        Assert.Equal((TenantStatus.PastDue, SubscriptionTier.Enterprise), (alpha.Status, alpha.Tier));
        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.TenantId == _bed.BetaId));
        Assert.False(await db.PlanSegments.AnyAsync(s => s.TenantId == _bed.BetaId && s.Tier != SubscriptionTier.Starter));
    }

    [Fact]
    public async Task Receive_MirrorsTheSubscription_FromItsItemAndLookupKey()
    {
        var receipt = await ReceiveAsync(Event("evt_upd", "customer.subscription.updated", T0,
            Subscription("sub_alpha", "cus_alpha", "active", "tenantportal_professional_monthly", T0.AddDays(-40), T0.AddDays(20), cancelAtPeriodEnd: true)));

        Assert.Equal(WebhookReceiptOutcome.Processed, receipt.Outcome);
        var alpha = await TenantAsync(_bed.AlphaId);
        Assert.Equal((SubscriptionTier.Professional, T0.AddDays(20), true, T0.AddDays(-40)),
            (alpha.Tier, alpha.CurrentPeriodEndsAt, alpha.CancelAtPeriodEnd, alpha.SubscriptionStartedAt));
        await using var db = _bed.Database.CrossTenant();
        var actions = await db.AuditEntries.Where(a => a.TenantId == _bed.AlphaId).Select(a => a.Action).ToListAsync();
        Assert.Equal(new[] { AuditActions.PlanChanged, AuditActions.SubscriptionCancelled }.Order(StringComparer.Ordinal), actions.Order(StringComparer.Ordinal));
        Assert.All(await db.AuditEntries.Where(a => a.TenantId == _bed.AlphaId).ToListAsync(), a => Assert.Contains("evt_upd", a.Details));
    }

    [Fact]
    public async Task Receive_IgnoresUnhandledTypes_AndStoresAnOtherApiVersion()
    {
        var receipt = await ReceiveAsync(Event("evt_other", "customer.created", T0,
            new System.Text.Json.Nodes.JsonObject { ["id"] = "cus_x", ["object"] = "customer" }, apiVersion: "2024-06-20"));

        Assert.Equal(WebhookReceiptOutcome.Ignored, receipt.Outcome);
        await using var db = _bed.Database.CrossTenant();
        var row = await db.StripeWebhookEvents.SingleAsync();
        Assert.Equal(("2024-06-20", WebhookOutcome.Ignored, _bed.Time.GetUtcNow()), (row.ApiVersion, row.Outcome, row.ReceivedAt));
        Assert.Contains("customer.created", row.Error);
    }

    [Theory]
    [InlineData("bad")]
    [InlineData("missing")]
    [InlineData("stale")]
    [InlineData("other secret")]
    [InlineData("no secret configured")]
    public async Task Receive_RefusesAndStoresNothing_WhenTheSignatureDoesNotHold(string problem)
    {
        var payload = Event("evt_fail", "invoice.payment_failed", T0, Invoice("in_1", "cus_alpha", "open", subscription: "sub_alpha"));
        var now = _bed.Time.GetUtcNow();
        var header = problem switch
        {
            "bad" => Sign(payload, now).Replace("v1=", "v1=00"),
            "missing" => null,
            "stale" => Sign(payload, now.AddMinutes(-10)),
            "other secret" => Sign(payload, now, "whsec_someone_else"),
            _ => Sign(payload, now),
        };
        await using var services = problem == "no secret configured" ? BuildServices(WebhookSecret: "") : null;

        var result = await CallAsync(w => w.ReceiveAsync(payload, header, CancellationToken.None), services);

        Assert.False(result.IsSuccess);
        Assert.Equal((ErrorCodes.Invalid, "Stripe-Signature"), (result.Error!.Code, result.Error.Field));
        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.StripeWebhookEvents.AnyAsync());
        Assert.Equal(TenantStatus.Active, (await TenantAsync(_bed.AlphaId)).Status);
    }

    [Fact]
    public async Task ProcessAgain_LeavesAProcessedEventAlone_AndReportsAnUnknownOne()
    {
        var first = await ReceiveAsync(Event("evt_fail", "invoice.payment_failed", T0, Invoice("in_1", "cus_alpha", "open", subscription: "sub_alpha")));

        var again = await CallAsync(w => w.ProcessAgainAsync(first.InboxId, CancellationToken.None));
        var unknown = await CallAsync(w => w.ProcessAgainAsync(Guid.NewGuid(), CancellationToken.None));

        Assert.Equal(WebhookReceiptOutcome.Duplicate, again.Value.Outcome);
        Assert.Equal(ErrorCodes.NotFound, unknown.Error?.Code);
        await using var db = _bed.Database.CrossTenant();
        Assert.Equal(1, (await db.StripeWebhookEvents.SingleAsync()).Attempts);
    }

    private async Task<StripeWebhookReceipt> ReceiveAsync(string payload)
    {
        var result = await CallAsync(w => w.ReceiveAsync(payload, Sign(payload, _bed.Time.GetUtcNow()), CancellationToken.None));
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    // One DI scope per call, as one request (or job run) has.
    private async Task<T> CallAsync<T>(Func<StripeWebhookService, Task<T>> call, ServiceProvider? services = null)
    {
        await using var scope = (services ?? _services).CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<StripeWebhookService>());
    }

    // The service as the web app builds it, in one DI scope per call site, on the test database and clock.
    private ServiceProvider BuildServices(string WebhookSecret)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_bed.Time);
        services.AddSingleton<IMailSender>(_bed.Mail);
        services.AddSingleton<TenantPortal.Core.Common.IPortalAddresses>(_bed.Addresses);
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<IDbContextFactory<PortalDbContext>>(sp => new TestContextFactory(_bed.Database, sp.GetRequiredService<TenantContext>()));
        services.AddSingleton<AuditWriter>();
        services.AddScoped<BillingNotifier>();
        services.AddSingleton(Options.Create(new StripeOptions { WebhookSecret = WebhookSecret }));
        services.AddSingleton(Options.Create(new BillingOptions()));
        services.AddScoped<StripeWebhookService>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    private async Task<Tenant> TenantAsync(Guid id)
    {
        await using var db = _bed.Database.CrossTenant();
        return await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == id);
    }

    private async Task<Invoice> InvoiceAsync(Guid id)
    {
        await using var db = _bed.Database.CrossTenant();
        return await db.Invoices.AsNoTracking().SingleAsync(i => i.Id == id);
    }

    private async Task<Guid> AddInvoiceAsync(Guid tenantId, string number)
    {
        await using var db = _bed.Database.CrossTenant();
        var invoice = new Invoice
        {
            TenantId = tenantId, Number = number, PeriodStart = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero),
            PeriodEnd = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), Tier = SubscriptionTier.Starter, Status = InvoiceStatus.Draft,
            TotalCents = 4900, IssuedAt = T0, DueAt = T0.AddDays(14),
        };
        db.Invoices.Add(invoice);
        await db.SaveChangesAsync();
        return invoice.Id;
    }

    // A subscribed Starter tenant not linked to Stripe (e.g. subscribed on the ledger before Stripe was configured).
    private async Task<Guid> AddUnlinkedTenantAsync(string slug)
    {
        await using var db = _bed.Database.CrossTenant();
        var tenant = new TenantBuilder().WithSlug(slug).Build();
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync();
        return tenant.Id;
    }
}
