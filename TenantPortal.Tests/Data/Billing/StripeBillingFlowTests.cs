using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Builders.StripeEventBuilder;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>
/// The billing service on the Stripe gateway, against the local Stripe stand-in: the same rules as on the ledger, with
/// Checkout for a first subscription, proration in Stripe for an upgrade, and Stripe's refusals as clear errors that
/// change nothing.
/// </summary>
public abstract class StripeBillingFlowTests : IAsyncLifetime, IDisposable
{
    public sealed class Sqlite() : StripeBillingFlowTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : StripeBillingFlowTests(DatabaseProvider.PostgreSql);

    private static readonly Uri ReturnUrl = new("https://portal.test/t/x/billing");
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly StripeStandIn _stripe = new();
    private readonly BillingScenario _s;

    protected StripeBillingFlowTests(DatabaseProvider provider) => _s = new BillingScenario(provider) { Gateway = _stripe.CreateGateway() };

    public Task InitializeAsync() => _s.InitializeAsync();

    public Task DisposeAsync() => _s.DisposeAsync();

    public void Dispose() => _stripe.Dispose();

    [Fact]
    public async Task AFirstSubscription_GoesThroughCheckout_AndChangesNothingUntilStripeConfirms()
    {
        _stripe.OnCustomerCreate("cus_flow").OnPriceList("price_pro_m").OnCheckoutSession("https://checkout.stripe.test/c/pay/cs_flow");
        var t = await _s.AddTenantAsync("checkout", SubscriptionTier.Starter, BillingScenario.November, TenantStatus.Trial);

        var outcome = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(_s.Bed.ActorOf("owner"), SubscriptionTier.Professional, BillingCycle.Monthly, ReturnUrl, None));

        Assert.True(outcome.IsSuccess, outcome.Error?.Message);
        Assert.Equal("https://checkout.stripe.test/c/pay/cs_flow", outcome.Value.RedirectUrl);
        var after = await _s.TenantAsync(t.Id);
        Assert.Equal((SubscriptionTier.Starter, TenantStatus.Trial, "cus_flow"), (after.Tier, after.Status, after.StripeCustomerId!));
        var session = Assert.Single(_stripe.CallsTo("POST", "/v1/checkout/sessions"));
        Assert.Equal(t.Id.ToString(), session.Form["client_reference_id"]);
        Assert.StartsWith(ReturnUrl.ToString(), session.Form["success_url"]);
    }

    [Fact]
    public async Task AnUpgrade_UpdatesTheStripeSubscriptionWithProration_ThenTheTenant()
    {
        _stripe.OnPriceList("price_pro_m").OnSubscription("sub_flow", "si_flow");
        var t = await _s.AddTenantAsync("upgrade", SubscriptionTier.Starter, BillingScenario.October);
        await LinkAsync(t.Id, "cus_up", "sub_flow");

        var outcome = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(_s.Bed.ActorOf("owner"), SubscriptionTier.Professional, BillingCycle.Monthly, ReturnUrl, None));

        Assert.True(outcome.IsSuccess, outcome.Error?.Message);
        var update = Assert.Single(_stripe.CallsTo("POST", "/v1/subscriptions/sub_flow"));
        Assert.Equal(("si_flow", "price_pro_m", "always_invoice"), (update.Form["items[0][id]"], update.Form["items[0][price]"], update.Form["proration_behavior"]));
        Assert.Equal(SubscriptionTier.Professional, (await _s.TenantAsync(t.Id)).Tier);
    }

    [Fact]
    public async Task AStripeRefusal_IsAClearError_AndTheTenantIsUnchanged()
    {
        _stripe.OnPriceList("price_pro_m")
            .On("GET", "/v1/subscriptions/sub_dead", StripeStandIn.ErrorJson("invalid_request_error", "resource_missing", "No such subscription: 'sub_dead'"), 404);
        var t = await _s.AddTenantAsync("refused", SubscriptionTier.Starter, BillingScenario.October);
        await LinkAsync(t.Id, "cus_dead", "sub_dead");

        var outcome = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(_s.Bed.ActorOf("owner"), SubscriptionTier.Professional, BillingCycle.Monthly, ReturnUrl, None));

        Assert.Equal(ErrorCodes.PaymentProvider, outcome.Error?.Code);
        Assert.Contains("No such subscription", outcome.Error!.Message);
        Assert.Equal(SubscriptionTier.Starter, (await _s.TenantAsync(t.Id)).Tier);
    }

    [Fact]
    public async Task TheMonthlyInvoice_SendsOverageToStripe_AndMirrorsTheStripeInvoice()
    {
        _stripe.OnInvoice("in_flow", "open", "https://invoice.stripe.test/i/flow");
        var t = await _s.AddTenantAsync("usage", SubscriptionTier.Starter, BillingScenario.October);
        await LinkAsync(t.Id, "cus_usage", "sub_usage");
        await _s.UseAsync(t.Id, UsageMetric.ApiCalls, 150_000, BillingScenario.October.AddDays(3));

        await _s.InvoiceAsync();

        var invoice = (await _s.InvoicesAsync(t.Id)).Single();
        // The base price is charged by the subscription in Stripe; the invoice carries the overage.
        Assert.Equal((5_000L, InvoiceStatus.Open, "in_flow", "https://invoice.stripe.test/i/flow"), (invoice.TotalCents, invoice.Status, invoice.StripeInvoiceId!, invoice.HostedUrl!));
        var item = Assert.Single(_stripe.CallsTo("POST", "/v1/invoiceitems"));
        Assert.Equal("5000", item.Form["amount"]);
        Assert.Equal($"tp-invoice-item-{invoice.Lines.Single(l => l.Kind == InvoiceLineKind.Overage).Id}", item.IdempotencyKey);
    }

    [Fact]
    public async Task ALedgerSubscriber_ChangesPlanAndCancels_OnTheLedger_AfterStripeIsConfigured()
    {
        // Subscribed on the local ledger before Stripe:SecretKey was set: Stripe has no subscription of it.
        var t = await _s.AddTenantAsync("ledger", SubscriptionTier.Starter, BillingScenario.October);
        var owner = _s.Bed.ActorOf("owner");

        var upgraded = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(owner, SubscriptionTier.Professional, BillingCycle.Monthly, ReturnUrl, None));
        var cancelled = await _s.BillingAsync(t.Id, b => b.CancelAsync(owner, atPeriodEnd: true, None));
        var overview = await _s.BillingAsync(t.Id, b => b.GetOverviewAsync(owner, None));

        Assert.True(upgraded.IsSuccess, upgraded.Error?.Message);
        Assert.True(cancelled.IsSuccess, cancelled.Error?.Message);
        var after = await _s.TenantAsync(t.Id);
        Assert.Equal((SubscriptionTier.Professional, TenantStatus.Active, true, (string?)null),
            (after.Tier, after.Status, after.CancelAtPeriodEnd, after.StripeSubscriptionId));
        Assert.False(overview.Value.UsesStripe);
        Assert.Empty(_stripe.Calls);
    }

    [Fact]
    public async Task ALedgerSubscriber_IsInvoicedOnTheLedger_NeverInStripe()
    {
        var t = await _s.AddTenantAsync("ledger", SubscriptionTier.Starter, BillingScenario.October);
        await _s.UseAsync(t.Id, UsageMetric.ApiCalls, 150_000, BillingScenario.October.AddDays(3));

        await _s.InvoiceAsync();

        var invoice = (await _s.InvoicesAsync(t.Id)).Single();
        Assert.Equal((InvoiceStatus.Open, (string?)null, 9_900L), (invoice.Status, invoice.StripeInvoiceId, invoice.TotalCents));
        Assert.Contains(invoice.Lines, l => l is { Kind: InvoiceLineKind.Base, AmountCents: 4_900 });
        Assert.Empty(_stripe.CallsTo("POST", "/v1/invoices"));
        Assert.Empty(_stripe.CallsTo("POST", "/v1/invoiceitems"));
    }

    [Fact]
    public async Task ALedgerSubscriber_MovesToStripe_ThroughCheckout_OnceItsLedgerSubscriptionEnded()
    {
        _stripe.OnCustomerCreate("cus_moved").OnPriceList("price_starter_m").OnCheckoutSession("https://checkout.stripe.test/c/pay/cs_moved");
        var t = await _s.AddTenantAsync("ledger", SubscriptionTier.Starter, BillingScenario.October);
        var owner = _s.Bed.ActorOf("owner");

        var ended = await _s.BillingAsync(t.Id, b => b.CancelAsync(owner, atPeriodEnd: false, None));
        var checkout = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(owner, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, None));

        Assert.True(ended.IsSuccess, ended.Error?.Message);
        Assert.Equal(TenantStatus.Cancelled, (await _s.TenantAsync(t.Id)).Status);
        Assert.True(checkout.IsSuccess, checkout.Error?.Message);
        Assert.Equal("https://checkout.stripe.test/c/pay/cs_moved", checkout.Value.RedirectUrl);
        Assert.Single(_stripe.CallsTo("POST", "/v1/checkout/sessions"));
    }

    [Fact]
    public async Task ALedgerSubscriber_HasNoStripePaymentMethods_UntilItMoves()
    {
        _stripe.OnCustomerCreate("cus_early").OnPortalSession();
        var t = await _s.AddTenantAsync("ledger", SubscriptionTier.Starter, BillingScenario.October);

        var url = await _s.BillingAsync(t.Id, b => b.PaymentMethodsUrlAsync(_s.Bed.ActorOf("owner"), ReturnUrl, None));

        Assert.Equal(ErrorCodes.NotAvailableInLedger, url.Error?.Code);
        Assert.Contains("ledger", url.Error!.Message);
        Assert.Null((await _s.TenantAsync(t.Id)).StripeCustomerId);
        Assert.Empty(_stripe.Calls);
    }

    [Fact]
    public async Task ALedgerSubscriber_GetsItsScheduledDowngrade_AndItsRenewals_OnTheLedger()
    {
        var t = await _s.AddTenantAsync("ledger", SubscriptionTier.Professional, BillingScenario.October);

        var scheduled = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(_s.Bed.ActorOf("owner"), SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, None));
        _s.Bed.Time.Advance(TimeSpan.FromDays(10)); // 2 December: the period ended on 1 December
        await _s.RenewAsync();

        Assert.True(scheduled.IsSuccess, scheduled.Error?.Message);
        var after = await _s.TenantAsync(t.Id);
        Assert.Equal((SubscriptionTier.Starter, TenantStatus.Active, (SubscriptionTier?)null, BillingScenario.November.AddMonths(2)),
            (after.Tier, after.Status, after.PendingTier, after.CurrentPeriodEndsAt!.Value));
        Assert.Empty(_stripe.Calls);
    }

    [Fact]
    public async Task ALedgerSubscriber_WhoMovedToStripe_HasItsLedgerTimeInvoicedOnTheLedger_AndNotAgainInStripe()
    {
        var t = await _s.AddTenantAsync("moved", SubscriptionTier.Starter, BillingScenario.October);
        var movedAt = _s.Bed.Time.GetUtcNow(); // 22 November, 12:00
        var ended = await _s.BillingAsync(t.Id, b => b.CancelAsync(_s.Bed.ActorOf("owner"), atPeriodEnd: false, None));
        await _s.DeliverAsync(Event("evt_moved", "customer.subscription.created", movedAt,
            Subscription("sub_moved", "cus_moved", "active", "tenantportal_starter_monthly", movedAt, BillingScenario.November.AddMonths(1), t.Id)));
        _s.Bed.Time.Advance(TimeSpan.FromDays(10)); // 2 December: November is closed and its grace has passed

        await _s.InvoiceAsync();

        Assert.True(ended.IsSuccess, ended.Error?.Message);
        Assert.Equal((TenantStatus.Active, "sub_moved"), ((await _s.TenantAsync(t.Id)).Status, (await _s.TenantAsync(t.Id)).StripeSubscriptionId!));
        var invoices = await _s.InvoicesAsync(t.Id);
        Assert.Equal([(4_900L, InvoiceStatus.Open, (string?)null), (3_512L, InvoiceStatus.Open, null)],
            invoices.Select(i => (i.TotalCents, i.Status, i.StripeInvoiceId)).ToList());
        // November: 1 to 22 November on the ledger, charged; the rest billed by the subscription in Stripe.
        Assert.Equal([3_512L, 0L], invoices[1].Lines.Where(l => l.Kind == InvoiceLineKind.Base).OrderBy(l => l.Description).Select(l => l.AmountCents).ToList());
        Assert.Empty(_stripe.CallsTo("POST", "/v1/invoices"));
        Assert.Empty(_stripe.CallsTo("POST", "/v1/invoiceitems"));
    }

    [Fact]
    public async Task AFailedCheckout_KeepsTheStripeCustomer_AndTheRetryReusesIt()
    {
        _stripe.OnCustomerCreate("cus_kept").OnPriceList("price_pro_m").OnFirstThen("POST", "/v1/checkout/sessions",
            (400, StripeStandIn.ErrorJson("invalid_request_error", "url_invalid", "Not a valid URL")),
            (200, """{"id":"cs_retry","object":"checkout.session","mode":"subscription","url":"https://checkout.stripe.test/c/pay/cs_retry"}"""));
        var t = await _s.AddTenantAsync("retry", SubscriptionTier.Starter, BillingScenario.November, TenantStatus.Trial);
        var owner = _s.Bed.ActorOf("owner");

        var failed = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(owner, SubscriptionTier.Professional, BillingCycle.Monthly, ReturnUrl, None));
        var afterFailure = await _s.TenantAsync(t.Id);
        var retried = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(owner, SubscriptionTier.Professional, BillingCycle.Monthly, ReturnUrl, None));

        Assert.Equal(ErrorCodes.PaymentProvider, failed.Error?.Code);
        Assert.Equal(("cus_kept", SubscriptionTier.Starter, TenantStatus.Trial), (afterFailure.StripeCustomerId!, afterFailure.Tier, afterFailure.Status));
        Assert.True(retried.IsSuccess, retried.Error?.Message);
        Assert.Equal("https://checkout.stripe.test/c/pay/cs_retry", retried.Value.RedirectUrl);
        Assert.Single(_stripe.CallsTo("POST", "/v1/customers"));
        Assert.All(_stripe.CallsTo("POST", "/v1/checkout/sessions"), c => Assert.Equal("cus_kept", c.Form["customer"]));
    }

    [Fact]
    public async Task AFailedPaymentMethodsSession_KeepsTheStripeCustomer_AndTheRetryReusesIt()
    {
        _stripe.OnCustomerCreate("cus_kept").OnFirstThen("POST", "/v1/billing_portal/sessions",
            (400, StripeStandIn.ErrorJson("invalid_request_error", "", "No configuration provided")),
            (200, """{"id":"bps_retry","object":"billing_portal.session","url":"https://billing.stripe.test/p/session/retry"}"""));
        var t = await _s.AddTenantAsync("portal", SubscriptionTier.Starter, BillingScenario.November, TenantStatus.Trial);
        var owner = _s.Bed.ActorOf("owner");

        var failed = await _s.BillingAsync(t.Id, b => b.PaymentMethodsUrlAsync(owner, ReturnUrl, None));
        var afterFailure = await _s.TenantAsync(t.Id);
        var retried = await _s.BillingAsync(t.Id, b => b.PaymentMethodsUrlAsync(owner, ReturnUrl, None));

        Assert.Equal(ErrorCodes.PaymentProvider, failed.Error?.Code);
        Assert.Equal("cus_kept", afterFailure.StripeCustomerId);
        Assert.Equal("https://billing.stripe.test/p/session/retry", retried.Value);
        Assert.Single(_stripe.CallsTo("POST", "/v1/customers"));
    }

    [Fact]
    public async Task APriceThatDoesNotMatchThePlan_IsAnErrorNamingItsLookupKey_AndChangesNothing()
    {
        _stripe.OnCustomerCreate("cus_price").OnPriceFound("price_wrong", "tenantportal_professional_monthly", "usd", 1_000, "month")
            .OnCheckoutSession();
        var t = await _s.AddTenantAsync("price", SubscriptionTier.Starter, BillingScenario.November, TenantStatus.Trial);

        var outcome = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(_s.Bed.ActorOf("owner"), SubscriptionTier.Professional, BillingCycle.Monthly, ReturnUrl, None));

        Assert.Equal(ErrorCodes.PaymentProvider, outcome.Error?.Code);
        Assert.Contains("tenantportal_professional_monthly", outcome.Error!.Message);
        var after = await _s.TenantAsync(t.Id);
        Assert.Equal((SubscriptionTier.Starter, TenantStatus.Trial), (after.Tier, after.Status));
        Assert.Empty(_stripe.CallsTo("POST", "/v1/checkout/sessions"));
    }

    private async Task LinkAsync(Guid tenantId, string customer, string subscription)
    {
        await using var db = _s.Bed.Database.CrossTenant();
        db.Tenants.Single(x => x.Id == tenantId).LinkStripe(customer, subscription);
        await db.SaveChangesAsync();
    }
}
