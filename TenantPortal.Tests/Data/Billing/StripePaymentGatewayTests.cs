using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Stripe;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Billing.Stripe;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;
using Invoice = TenantPortal.Core.Billing.Invoice;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>The Stripe gateway against a local stand-in of Stripe's API: what Stripe.net sends, and what comes back.</summary>
public sealed class StripePaymentGatewayTests : IDisposable
{
    private static readonly Uri ReturnUrl = new("https://portal.test/t/acme/billing");
    private readonly StripeStandIn _stripe = new();

    public void Dispose() => _stripe.Dispose();

    // ----- customer -----

    [Fact]
    public async Task StartSubscriptionAsync_CreatesCustomerWithTenantMetadata_WhenTenantHasNone()
    {
        var tenant = NewTenant();
        tenant.BillingEmail = "billing@acme.test";
        _stripe.OnCustomerCreate("cus_new").OnPriceList("price_starter_m").OnCheckoutSession();

        var result = await _stripe.CreateGateway().StartSubscriptionAsync(tenant, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var call = Assert.Single(_stripe.CallsTo("POST", "/v1/customers"));
        Assert.Equal("billing@acme.test", call.Form["email"]);
        Assert.Equal(tenant.Name, call.Form["name"]);
        Assert.Equal(tenant.Id.ToString(), call.Form["metadata[tenant_id]"]);
        Assert.Equal(tenant.Slug, call.Form["metadata[tenant_slug]"]);
        Assert.Equal($"tp-customer-{tenant.Id}", call.IdempotencyKey);
        Assert.Equal("cus_new", tenant.StripeCustomerId);
        Assert.Equal("cus_new", Assert.Single(_stripe.CallsTo("POST", "/v1/checkout/sessions")).Form["customer"]);
    }

    [Fact]
    public async Task StartSubscriptionAsync_CreatesCustomerWithoutEmail_WhenTenantHasNoBillingEmail()
    {
        var tenant = NewTenant();
        _stripe.OnCustomerCreate().OnPriceList("price_starter_m").OnCheckoutSession();

        await _stripe.CreateGateway().StartSubscriptionAsync(tenant, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);

        Assert.False(Assert.Single(_stripe.CallsTo("POST", "/v1/customers")).Form.ContainsKey("email"));
    }

    [Fact]
    public async Task StartSubscriptionAsync_ReusesCustomer_WhenTenantHasOne()
    {
        var tenant = NewTenant().LinkStripe("cus_existing");
        _stripe.OnPriceList("price_starter_m").OnCheckoutSession();

        var result = await _stripe.CreateGateway().StartSubscriptionAsync(tenant, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Empty(_stripe.CallsTo("POST", "/v1/customers"));
        Assert.Equal("cus_existing", Assert.Single(_stripe.CallsTo("POST", "/v1/checkout/sessions")).Form["customer"]);
    }

    [Fact]
    public async Task StartSubscriptionAsync_SendsSecretKeyApiVersionAndIdempotencyKeys_OnEveryRequest()
    {
        var tenant = NewTenant();
        _stripe.OnCustomerCreate().OnPriceList("price_starter_m").OnCheckoutSession();

        await _stripe.CreateGateway().StartSubscriptionAsync(tenant, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);

        Assert.Equal(3, _stripe.Calls.Count);
        Assert.All(_stripe.Calls, call =>
        {
            Assert.Equal($"Bearer {StripeStandIn.SecretKey}", call.Authorization);
            Assert.Equal(StripeConfiguration.ApiVersion, call.StripeVersion);
        });
        Assert.All(_stripe.Calls.Where(c => c.Method == "POST"), call => Assert.False(string.IsNullOrEmpty(call.IdempotencyKey)));
    }

    // ----- prices -----

    [Fact]
    public async Task StartSubscriptionAsync_UsesFoundPriceWithoutCreating_WhenLookupKeyExists()
    {
        var tenant = WithCustomer(NewTenant());
        _stripe.OnPriceList("price_pro_annual").OnCheckoutSession();

        var result = await _stripe.CreateGateway().StartSubscriptionAsync(tenant, SubscriptionTier.Professional, BillingCycle.Annual, ReturnUrl, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var lookup = Assert.Single(_stripe.CallsTo("GET", "/v1/prices"));
        Assert.Equal("tenantportal_professional_annual", lookup.Query["lookup_keys[0]"]);
        Assert.Equal("true", lookup.Query["active"]);
        Assert.Empty(_stripe.CallsTo("POST", "/v1/prices"));
        Assert.Empty(_stripe.CallsTo("POST", "/v1/products"));
        Assert.Equal("price_pro_annual", Assert.Single(_stripe.CallsTo("POST", "/v1/checkout/sessions")).Form["line_items[0][price]"]);
    }

    [Fact]
    public async Task StartSubscriptionAsync_CreatesProductAndPrice_WhenLookupKeyAndProductAreMissing()
    {
        var tenant = WithCustomer(NewTenant());
        _stripe.OnPriceList(null).OnProductMissing("tenantportal_starter").OnPriceCreate("price_created").OnCheckoutSession();

        var result = await _stripe.CreateGateway().StartSubscriptionAsync(tenant, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var product = Assert.Single(_stripe.CallsTo("POST", "/v1/products"));
        Assert.Equal("tenantportal_starter", product.Form["id"]);
        Assert.Equal("tp-product-tenantportal_starter", product.IdempotencyKey);
        var price = Assert.Single(_stripe.CallsTo("POST", "/v1/prices"));
        Assert.Equal("tenantportal_starter", price.Form["product"]);
        Assert.Equal("4900", price.Form["unit_amount"]);
        Assert.Equal("usd", price.Form["currency"]);
        Assert.Equal("month", price.Form["recurring[interval]"]);
        Assert.Equal("tenantportal_starter_monthly", price.Form["lookup_key"]);
        Assert.Equal("tp-price-tenantportal_starter_monthly-4900", price.IdempotencyKey);
        Assert.Equal("price_created", Assert.Single(_stripe.CallsTo("POST", "/v1/checkout/sessions")).Form["line_items[0][price]"]);
    }

    [Fact]
    public async Task StartSubscriptionAsync_CreatesOnlyThePrice_WhenProductExists()
    {
        var tenant = WithCustomer(NewTenant());
        _stripe.OnPriceList(null).OnProductFound("tenantportal_enterprise").OnPriceCreate("price_ent_annual").OnCheckoutSession();

        var result = await _stripe.CreateGateway().StartSubscriptionAsync(tenant, SubscriptionTier.Enterprise, BillingCycle.Annual, ReturnUrl, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Empty(_stripe.CallsTo("POST", "/v1/products"));
        var price = Assert.Single(_stripe.CallsTo("POST", "/v1/prices"));
        Assert.Equal("tenantportal_enterprise", price.Form["product"]);
        Assert.Equal((PlanCatalog.Enterprise.MonthlyPriceCents * 10).ToString(), price.Form["unit_amount"]);
        Assert.Equal("year", price.Form["recurring[interval]"]);
        Assert.Equal("tenantportal_enterprise_annual", price.Form["lookup_key"]);
    }

    [Fact]
    public async Task StartSubscriptionAsync_LooksUpThePriceOnce_WhenCalledTwice()
    {
        var gateway = _stripe.CreateGateway();
        _stripe.OnPriceList("price_starter_m").OnCheckoutSession();

        await gateway.StartSubscriptionAsync(WithCustomer(NewTenant()), SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);
        await gateway.StartSubscriptionAsync(WithCustomer(NewTenant()), SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);

        Assert.Single(_stripe.CallsTo("GET", "/v1/prices"));
        Assert.Equal(2, _stripe.CallsTo("POST", "/v1/checkout/sessions").Count);
    }

    [Fact]
    public async Task StartSubscriptionAsync_FailsWithoutRequests_WhenTierIsFree()
    {
        var result = await _stripe.CreateGateway().StartSubscriptionAsync(NewTenant(), SubscriptionTier.Free, BillingCycle.Monthly, ReturnUrl, default);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.Invalid, result.Error.Code);
        Assert.Equal("tier", result.Error.Field);
        Assert.Empty(_stripe.Calls);
    }

    // ----- checkout -----

    [Fact]
    public async Task StartSubscriptionAsync_ReturnsSessionUrlAndSendsCheckoutFields_WhenPriceFound()
    {
        var tenant = WithCustomer(NewTenant());
        _stripe.OnPriceList("price_pro_m").OnCheckoutSession("https://checkout.stripe.test/c/pay/cs_1");

        var result = await _stripe.CreateGateway().StartSubscriptionAsync(tenant, SubscriptionTier.Professional, BillingCycle.Monthly, ReturnUrl, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("https://checkout.stripe.test/c/pay/cs_1", result.Value);
        var form = Assert.Single(_stripe.CallsTo("POST", "/v1/checkout/sessions")).Form;
        Assert.Equal("subscription", form["mode"]);
        Assert.Equal("price_pro_m", form["line_items[0][price]"]);
        Assert.Equal("1", form["line_items[0][quantity]"]);
        Assert.Equal(tenant.Id.ToString(), form["client_reference_id"]);
        Assert.Equal(tenant.Id.ToString(), form["metadata[tenant_id]"]);
        Assert.Equal("professional", form["metadata[tier]"]);
        Assert.Equal("monthly", form["metadata[cycle]"]);
        Assert.Equal(tenant.Id.ToString(), form["subscription_data[metadata][tenant_id]"]);
        Assert.Equal("professional", form["subscription_data[metadata][tier]"]);
        Assert.Equal("monthly", form["subscription_data[metadata][cycle]"]);
        Assert.Equal("https://portal.test/t/acme/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}", form["success_url"]);
        Assert.Equal("https://portal.test/t/acme/billing?checkout=cancelled", form["cancel_url"]);
    }

    [Fact]
    public async Task StartSubscriptionAsync_SendsTheSameIdempotencyKey_WhenRepeatedWithinTheHour()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 3, 10, 5, 0, TimeSpan.Zero));
        var gateway = _stripe.CreateGateway(time);
        var tenant = WithCustomer(NewTenant());
        _stripe.OnPriceList("price_starter_m").OnCheckoutSession();

        await gateway.StartSubscriptionAsync(tenant, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);
        time.Advance(TimeSpan.FromMinutes(50));
        await gateway.StartSubscriptionAsync(tenant, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);

        var keys = _stripe.CallsTo("POST", "/v1/checkout/sessions").Select(c => c.IdempotencyKey).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
        Assert.Contains(tenant.Id.ToString(), keys[0]);
        Assert.Contains("price_starter_m", keys[0]);
    }

    [Fact]
    public async Task StartSubscriptionAsync_SendsANewIdempotencyKey_WhenTheHourOrThePriceChanges()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 3, 10, 5, 0, TimeSpan.Zero));
        var gateway = _stripe.CreateGateway(time);
        var tenant = WithCustomer(NewTenant());
        _stripe.OnPriceList("price_any").OnCheckoutSession();

        await gateway.StartSubscriptionAsync(tenant, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);
        time.Advance(TimeSpan.FromHours(1));
        await gateway.StartSubscriptionAsync(tenant, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);
        var other = WithCustomer(NewTenant());
        await gateway.StartSubscriptionAsync(other, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);

        var keys = _stripe.CallsTo("POST", "/v1/checkout/sessions").Select(c => c.IdempotencyKey).ToList();
        Assert.Equal(3, keys.Distinct().Count());
    }

    [Theory]
    [InlineData("tenantportal_starter_annual", "usd", 4_900L, "month", 1, "its lookup key is tenantportal_starter_annual")]
    [InlineData(null, "usd", 4_900L, "month", 1, "its lookup key is not set")]
    [InlineData("tenantportal_starter_monthly", "eur", 4_900L, "month", 1, "its currency is eur")]
    [InlineData("tenantportal_starter_monthly", "usd", 4_000L, "month", 1, "its amount is 4000 cents")]
    [InlineData("tenantportal_starter_monthly", "usd", null, "month", 1, "its amount is not a fixed unit amount")]
    [InlineData("tenantportal_starter_monthly", "usd", 4_900L, "year", 1, "its interval is every 1 year")]
    [InlineData("tenantportal_starter_monthly", "usd", 4_900L, "month", 3, "its interval is every 3 month")]
    [InlineData("tenantportal_starter_monthly", "usd", 4_900L, null, 1, "its interval is not set")]
    public async Task StartSubscriptionAsync_FailsNamingTheLookupKey_WhenTheFoundPriceDoesNotMatchThePlan(
        string? lookupKey, string currency, long? amount, string? interval, int intervalCount, string mismatch)
    {
        var tenant = WithCustomer(NewTenant());
        _stripe.OnPriceFound("price_wrong", lookupKey, currency, amount, interval, intervalCount).OnCheckoutSession();
        var gateway = _stripe.CreateGateway();

        var first = await gateway.StartSubscriptionAsync(tenant, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);
        var again = await gateway.StartSubscriptionAsync(tenant, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);

        Assert.False(first.IsSuccess);
        Assert.Equal(ErrorCodes.PaymentProvider, first.Error.Code);
        Assert.Contains("tenantportal_starter_monthly", first.Error.Message);
        Assert.Contains("price_wrong", first.Error.Message);
        Assert.Contains(mismatch, first.Error.Message);
        Assert.False(again.IsSuccess); // a refused price is not remembered as the plan's
        Assert.Equal(2, _stripe.CallsTo("GET", "/v1/prices").Count);
        Assert.Empty(_stripe.CallsTo("POST", "/v1/checkout/sessions"));
    }

    [Fact]
    public async Task ChangePlanAsync_FailsNamingTheLookupKey_WhenTheFoundPriceDoesNotMatchThePlan()
    {
        var tenant = WithSubscription(NewTenant(), "sub_1");
        _stripe.OnPriceFound("price_pro_cheap", "tenantportal_professional_monthly", "usd", 19_900, "year").OnSubscription("sub_1");

        var result = await _stripe.CreateGateway().ChangePlanAsync(tenant, SubscriptionTier.Professional, BillingCycle.Monthly, prorate: true, default);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.PaymentProvider, result.Error.Code);
        Assert.Contains("tenantportal_professional_monthly", result.Error.Message);
        Assert.Empty(_stripe.CallsTo("POST", "/v1/subscriptions/sub_1"));
    }

    // ----- plan change -----

    [Fact]
    public async Task ChangePlanAsync_UpdatesTheSubscriptionItemWithProration_WhenProrated()
    {
        var tenant = WithSubscription(NewTenant(), "sub_1");
        _stripe.OnPriceList("price_pro_m").OnSubscription("sub_1", itemId: "si_1");

        var result = await _stripe.CreateGateway().ChangePlanAsync(tenant, SubscriptionTier.Professional, BillingCycle.Monthly, prorate: true, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Single(_stripe.CallsTo("GET", "/v1/subscriptions/sub_1"));
        var update = Assert.Single(_stripe.CallsTo("POST", "/v1/subscriptions/sub_1"));
        Assert.Equal("si_1", update.Form["items[0][id]"]);
        Assert.Equal("price_pro_m", update.Form["items[0][price]"]);
        Assert.Equal("always_invoice", update.Form["proration_behavior"]);
        Assert.Equal("professional", update.Form["metadata[tier]"]);
        Assert.Equal("monthly", update.Form["metadata[cycle]"]);
        Assert.Contains("sub_1", update.IdempotencyKey);
        Assert.Contains("tenantportal_professional_monthly", update.IdempotencyKey);
    }

    [Fact]
    public async Task ChangePlanAsync_SendsNoProrationAndAnotherKey_WhenNotProrated()
    {
        var tenant = WithSubscription(NewTenant(), "sub_1");
        _stripe.OnPriceList("price_starter_a").OnSubscription("sub_1");
        var gateway = _stripe.CreateGateway();

        await gateway.ChangePlanAsync(tenant, SubscriptionTier.Starter, BillingCycle.Annual, prorate: true, default);
        await gateway.ChangePlanAsync(tenant, SubscriptionTier.Starter, BillingCycle.Annual, prorate: false, default);

        var updates = _stripe.CallsTo("POST", "/v1/subscriptions/sub_1");
        Assert.Equal(2, updates.Count);
        Assert.Equal("none", updates[1].Form["proration_behavior"]);
        Assert.NotEqual(updates[0].IdempotencyKey, updates[1].IdempotencyKey);
    }

    [Fact]
    public async Task ChangePlanAsync_SendsTheSameKey_OnlyWhileTheTenantIsUnchanged()
    {
        var tenant = WithSubscription(NewTenant(), "sub_1");
        _stripe.OnPriceList("price_pro_m").OnSubscription("sub_1");
        var gateway = _stripe.CreateGateway();

        await gateway.ChangePlanAsync(tenant, SubscriptionTier.Professional, BillingCycle.Monthly, prorate: true, default);
        await gateway.ChangePlanAsync(tenant, SubscriptionTier.Professional, BillingCycle.Monthly, prorate: true, default);
        tenant.ConcurrencyStamp = Guid.NewGuid(); // the tenant was saved in between: a new change, not a retry
        await gateway.ChangePlanAsync(tenant, SubscriptionTier.Professional, BillingCycle.Monthly, prorate: true, default);

        var keys = _stripe.CallsTo("POST", "/v1/subscriptions/sub_1").Select(c => c.IdempotencyKey).ToList();
        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[1], keys[2]);
    }

    [Fact]
    public async Task ChangePlanAsync_FailsWithNoSubscription_WhenTenantHasNone()
    {
        var result = await _stripe.CreateGateway().ChangePlanAsync(NewTenant(), SubscriptionTier.Professional, BillingCycle.Monthly, prorate: true, default);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.NoSubscription, result.Error.Code);
        Assert.Empty(_stripe.Calls);
    }

    [Fact]
    public async Task ChangePlanAsync_FailsWithoutRequests_WhenTierIsFree()
    {
        var tenant = WithSubscription(NewTenant(), "sub_1");

        var result = await _stripe.CreateGateway().ChangePlanAsync(tenant, SubscriptionTier.Free, BillingCycle.Monthly, prorate: false, default);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.Invalid, result.Error.Code);
        Assert.Empty(_stripe.Calls);
    }

    // ----- cancel / reactivate -----

    [Fact]
    public async Task CancelAsync_SetsCancelAtPeriodEnd_WhenAtPeriodEnd()
    {
        var tenant = WithSubscription(NewTenant(), "sub_1");
        _stripe.OnSubscription("sub_1");

        var result = await _stripe.CreateGateway().CancelAsync(tenant, atPeriodEnd: true, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var update = Assert.Single(_stripe.Calls);
        Assert.Equal(("POST", "/v1/subscriptions/sub_1"), (update.Method, update.Path));
        Assert.Equal("true", update.Form["cancel_at_period_end"]);
        Assert.StartsWith("tp-subscription-cancel-at-period-end-sub_1-", update.IdempotencyKey);
    }

    [Fact]
    public async Task CancelAsync_CancelsNowWithProrationAndFinalInvoice_WhenNotAtPeriodEnd()
    {
        var tenant = WithSubscription(NewTenant(), "sub_1");
        _stripe.OnSubscription("sub_1");

        var result = await _stripe.CreateGateway().CancelAsync(tenant, atPeriodEnd: false, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var cancel = Assert.Single(_stripe.Calls);
        Assert.Equal(("DELETE", "/v1/subscriptions/sub_1"), (cancel.Method, cancel.Path));
        var parameters = cancel.Form.Concat(cancel.Query).ToDictionary();
        Assert.Equal("true", parameters["prorate"]);
        Assert.Equal("true", parameters["invoice_now"]);
        Assert.Equal("tp-subscription-cancel-sub_1", cancel.IdempotencyKey);
    }

    [Fact]
    public async Task ReactivateAsync_ClearsCancelAtPeriodEnd_WhenSubscribed()
    {
        var tenant = WithSubscription(NewTenant(), "sub_1");
        _stripe.OnSubscription("sub_1");

        var result = await _stripe.CreateGateway().ReactivateAsync(tenant, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var update = Assert.Single(_stripe.Calls);
        Assert.Equal(("POST", "/v1/subscriptions/sub_1"), (update.Method, update.Path));
        Assert.Equal("false", update.Form["cancel_at_period_end"]);
        Assert.StartsWith("tp-subscription-reactivate-sub_1-", update.IdempotencyKey);
    }

    [Fact]
    public async Task CancelAsync_AndReactivateAsync_SendDifferentKeys_WhenRepeatedAfterTheTenantChanged()
    {
        var tenant = WithSubscription(NewTenant(), "sub_1");
        _stripe.OnSubscription("sub_1");
        var gateway = _stripe.CreateGateway();

        await gateway.CancelAsync(tenant, atPeriodEnd: true, default);
        tenant.ConcurrencyStamp = Guid.NewGuid();
        await gateway.ReactivateAsync(tenant, default);
        tenant.ConcurrencyStamp = Guid.NewGuid();
        await gateway.CancelAsync(tenant, atPeriodEnd: true, default);

        var keys = _stripe.CallsTo("POST", "/v1/subscriptions/sub_1").Select(c => c.IdempotencyKey).ToList();
        Assert.Equal(3, keys.Distinct().Count());
    }

    [Fact]
    public async Task CancelAsync_AndReactivateAsync_FailWithNoSubscription_WhenTenantHasNone()
    {
        var gateway = _stripe.CreateGateway();

        var cancel = await gateway.CancelAsync(NewTenant(), atPeriodEnd: true, default);
        var reactivate = await gateway.ReactivateAsync(NewTenant(), default);

        Assert.Equal(ErrorCodes.NoSubscription, cancel.Error?.Code);
        Assert.Equal(ErrorCodes.NoSubscription, reactivate.Error?.Code);
        Assert.Empty(_stripe.Calls);
    }

    // ----- payment methods -----

    [Fact]
    public async Task PaymentMethodsUrlAsync_ReturnsPortalUrl_ForTheTenantsCustomer()
    {
        var tenant = WithCustomer(NewTenant(), "cus_portal");
        _stripe.OnPortalSession("https://billing.stripe.test/p/session/1");

        var result = await _stripe.CreateGateway().PaymentMethodsUrlAsync(tenant, ReturnUrl, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("https://billing.stripe.test/p/session/1", result.Value);
        var call = Assert.Single(_stripe.Calls);
        Assert.Equal(("POST", "/v1/billing_portal/sessions"), (call.Method, call.Path));
        Assert.Equal("cus_portal", call.Form["customer"]);
        Assert.Equal(ReturnUrl.AbsoluteUri, call.Form["return_url"]);
        Assert.False(string.IsNullOrEmpty(call.IdempotencyKey));
    }

    [Fact]
    public async Task PaymentMethodsUrlAsync_CreatesTheCustomerFirst_WhenTenantHasNone()
    {
        var tenant = NewTenant();
        _stripe.OnCustomerCreate("cus_fresh").OnPortalSession();

        var result = await _stripe.CreateGateway().PaymentMethodsUrlAsync(tenant, ReturnUrl, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(["/v1/customers", "/v1/billing_portal/sessions"], _stripe.Calls.Select(c => c.Path));
        Assert.Equal("cus_fresh", _stripe.Calls[1].Form["customer"]);
        Assert.Equal("cus_fresh", tenant.StripeCustomerId);
    }

    // ----- invoices -----

    [Fact]
    public async Task IssueInvoiceAsync_CreatesInvoiceWithItemsAndFinalizes_WhenThereIsOverage()
    {
        var tenant = WithCustomer(NewTenant(), "cus_inv");
        var invoice = NewInvoice(tenant);
        _stripe.OnInvoice("in_1", "open", "https://invoice.stripe.test/i/1");

        var result = await _stripe.CreateGateway().IssueInvoiceAsync(tenant, invoice, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(new IssuedInvoice(InvoiceStatus.Open, "in_1", "https://invoice.stripe.test/i/1"), result.Value);
        // First a look for an invoice made for this one earlier (none), then the invoice, its items and the finalize.
        Assert.Equal([("GET", "/v1/invoices"), ("POST", "/v1/invoices"), ("POST", "/v1/invoiceitems"), ("POST", "/v1/invoiceitems"), ("POST", "/v1/invoices/in_1/finalize")],
            _stripe.Calls.Select(c => (c.Method, c.Path)));
        Assert.Equal("cus_inv", _stripe.Calls[0].Query["customer"]);

        var created = _stripe.Calls[1].Form;
        Assert.Equal("cus_inv", created["customer"]);
        Assert.Equal("charge_automatically", created["collection_method"]);
        Assert.Equal("true", created["auto_advance"]);
        Assert.Equal("exclude", created["pending_invoice_items_behavior"]);
        Assert.Equal($"Usage {invoice.Number}", created["description"]);
        Assert.Equal(tenant.Id.ToString(), created["metadata[tenant_id]"]);
        Assert.Equal(invoice.Id.ToString(), created["metadata[tenantportal_invoice_id]"]);
        Assert.Equal(invoice.Number, created["metadata[tenantportal_invoice_number]"]);
        Assert.Equal($"tp-invoice-{invoice.Id}", _stripe.Calls[1].IdempotencyKey);

        var overage = invoice.Lines.Single(l => l.Kind == InvoiceLineKind.Overage);
        var credit = invoice.Lines.Single(l => l.Kind == InvoiceLineKind.Adjustment);
        var items = _stripe.CallsTo("POST", "/v1/invoiceitems");
        Assert.Equal([$"tp-invoice-item-{overage.Id}", $"tp-invoice-item-{credit.Id}"], items.Select(i => i.IdempotencyKey));
        Assert.All(items, i => Assert.Equal("in_1", i.Form["invoice"]));
        Assert.All(items, i => Assert.Equal("cus_inv", i.Form["customer"]));
        Assert.All(items, i => Assert.Equal("usd", i.Form["currency"]));
        Assert.Equal("1250", items[0].Form["amount"]);
        Assert.Equal(overage.Description, items[0].Form["description"]);
        Assert.Equal(overage.Id.ToString(), items[0].Form["metadata[tenantportal_line_id]"]);
        Assert.Equal("api_calls", items[0].Form["metadata[metric]"]);
        Assert.Equal("2026-10", items[0].Form["metadata[usage_period]"]);
        Assert.Equal("-300", items[1].Form["amount"]);
        Assert.Equal("2026-09", items[1].Form["metadata[usage_period]"]);

        Assert.Equal($"tp-invoice-finalize-{invoice.Id}", _stripe.Calls[4].IdempotencyKey);
    }

    [Fact]
    public async Task IssueInvoiceAsync_SendsTheBaseLineToo_WhenTheTenantHasNoStripeSubscription()
    {
        var tenant = WithCustomer(NewTenant(), "cus_nosub");
        var invoice = NewInvoice(tenant, subscribed: false);
        _stripe.OnInvoice("in_2");

        var result = await _stripe.CreateGateway().IssueInvoiceAsync(tenant, invoice, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(["4900", "1250", "-300"], _stripe.CallsTo("POST", "/v1/invoiceitems").Select(i => i.Form["amount"]));
    }

    [Fact]
    public async Task IssueInvoiceAsync_SendsTheSameIdempotencyKeys_WhenTheSameInvoiceIsIssuedAgain()
    {
        var tenant = WithCustomer(NewTenant());
        var invoice = NewInvoice(tenant);
        _stripe.OnInvoice("in_1");
        var gateway = _stripe.CreateGateway();

        await gateway.IssueInvoiceAsync(tenant, invoice, default);
        var first = _stripe.Calls.Select(c => (c.Path, c.IdempotencyKey)).ToList();
        await gateway.IssueInvoiceAsync(tenant, invoice, default);
        var second = _stripe.Calls.Skip(first.Count).Select(c => (c.Path, c.IdempotencyKey)).ToList();

        Assert.Equal(5, first.Count);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task IssueInvoiceAsync_CreatesNothing_WhenStripeAlreadyHasTheInvoice_EvenPastTheIdempotencyWindow()
    {
        var tenant = WithCustomer(NewTenant(), "cus_again");
        var invoice = NewInvoice(tenant);
        _stripe.On("GET", "/v1/invoices", $$$"""{"object":"list","has_more":false,"data":[{"id":"in_earlier","object":"invoice","status":"open","hosted_invoice_url":"https://invoice.stripe.test/i/earlier","metadata":{"tenantportal_invoice_id":"{{{invoice.Id}}}"}}]}""");

        var result = await _stripe.CreateGateway().IssueInvoiceAsync(tenant, invoice, default);

        Assert.Equal(new IssuedInvoice(InvoiceStatus.Open, "in_earlier", "https://invoice.stripe.test/i/earlier"), result.Value);
        Assert.DoesNotContain(_stripe.Calls, c => c.Method == "POST");
    }

    [Fact]
    public async Task IssueInvoiceAsync_CompletesADraftLeftBehind_AddingOnlyTheMissingItems()
    {
        var tenant = WithCustomer(NewTenant(), "cus_draft");
        var invoice = NewInvoice(tenant);
        var overage = invoice.Lines.Single(l => l.Kind == InvoiceLineKind.Overage);
        var credit = invoice.Lines.Single(l => l.Kind == InvoiceLineKind.Adjustment);
        _stripe.On("GET", "/v1/invoices", $$$"""{"object":"list","has_more":false,"data":[{"id":"in_left","object":"invoice","status":"draft","metadata":{"tenantportal_invoice_id":"{{{invoice.Id}}}"}}]}""")
            .On("GET", "/v1/invoiceitems", $$$"""{"object":"list","has_more":false,"data":[{"id":"ii_1","object":"invoiceitem","metadata":{"tenantportal_line_id":"{{{overage.Id}}}"}}]}""")
            .On("POST", "/v1/invoiceitems", """{"id":"ii_2","object":"invoiceitem"}""")
            .On("POST", "/v1/invoices/in_left/finalize", """{"id":"in_left","object":"invoice","status":"open","hosted_invoice_url":"https://invoice.stripe.test/i/left"}""");

        var result = await _stripe.CreateGateway().IssueInvoiceAsync(tenant, invoice, default);

        Assert.Equal(new IssuedInvoice(InvoiceStatus.Open, "in_left", "https://invoice.stripe.test/i/left"), result.Value);
        Assert.Empty(_stripe.CallsTo("POST", "/v1/invoices"));
        var item = Assert.Single(_stripe.CallsTo("POST", "/v1/invoiceitems"));
        Assert.Equal(($"tp-invoice-item-{credit.Id}", "in_left"), (item.IdempotencyKey, item.Form["invoice"]));
        Assert.Equal("in_left", Assert.Single(_stripe.CallsTo("GET", "/v1/invoiceitems")).Query["invoice"]);
    }

    [Fact]
    public async Task IssueInvoiceAsync_ReturnsPaid_WhenStripeFinalizesItAsPaid()
    {
        var tenant = WithCustomer(NewTenant());
        _stripe.OnInvoice("in_2", finalStatus: "paid");

        var result = await _stripe.CreateGateway().IssueInvoiceAsync(tenant, NewInvoice(tenant), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(InvoiceStatus.Paid, result.Value.Status);
        Assert.Equal("in_2", result.Value.ProviderInvoiceId);
    }

    [Fact]
    public async Task IssueInvoiceAsync_ReturnsPaidWithoutRequests_WhenNoLineIsBillable()
    {
        var tenant = WithCustomer(NewTenant());
        var invoice = NewInvoice(tenant);
        invoice.Lines.RemoveAll(l => l.Kind == InvoiceLineKind.Adjustment);
        invoice.Lines.Single(l => l.Kind == InvoiceLineKind.Overage).AmountCents = 0;

        var result = await _stripe.CreateGateway().IssueInvoiceAsync(tenant, invoice, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(new IssuedInvoice(InvoiceStatus.Paid), result.Value);
        Assert.Empty(_stripe.Calls);
    }

    // ----- failures -----

    [Fact]
    public async Task IssueInvoiceAsync_FailsWithStripesMessageAndLogsTheCode_WhenStripeRefuses()
    {
        var tenant = WithCustomer(NewTenant());
        var logger = new CapturingLogger();
        _stripe.OnInvoice("in_1")
            .On("POST", "/v1/invoices/in_1/finalize", StripeStandIn.ErrorJson("card_error", "card_declined", "Your card was declined."), 402);

        var result = await _stripe.CreateGateway(logger: logger).IssueInvoiceAsync(tenant, NewInvoice(tenant), default);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.PaymentProvider, result.Error.Code);
        Assert.Equal("Stripe refused the request: Your card was declined.", result.Error.Message);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("usage invoice", entry.Message);
        Assert.Contains("card_declined", entry.Message);
        Assert.DoesNotContain(StripeStandIn.SecretKey, entry.Message);
        Assert.Single(_stripe.CallsTo("POST", "/v1/invoices/in_1/finalize")); // a 402 is final: no retry
    }

    [Fact]
    public async Task StartSubscriptionAsync_FailsWithStripesMessage_WhenTheCustomerIsRefused()
    {
        _stripe.OnPriceList("price_starter_m")
            .On("POST", "/v1/customers", StripeStandIn.ErrorJson("invalid_request_error", "email_invalid", "Invalid email address: nope"), 400);

        var result = await _stripe.CreateGateway().StartSubscriptionAsync(NewTenant(), SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, default);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.PaymentProvider, result.Error.Code);
        Assert.Contains("Invalid email address: nope", result.Error.Message);
        Assert.Empty(_stripe.CallsTo("POST", "/v1/checkout/sessions"));
    }

    [Fact]
    public async Task ChangePlanAsync_FailsWithPaymentProvider_WhenStripeIsUnreachable()
    {
        var logger = new CapturingLogger();
        var gateway = StripeStandIn.CreateGateway(StripeStandIn.ClosedPortUrl(), logger: logger);
        var tenant = WithSubscription(NewTenant(), "sub_1");

        var result = await gateway.ChangePlanAsync(tenant, SubscriptionTier.Professional, BillingCycle.Monthly, prorate: true, default);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.PaymentProvider, result.Error.Code);
        Assert.Equal("Stripe could not be reached; nothing was changed. Try again in a moment.", result.Error.Message);
        Assert.Equal(LogLevel.Warning, Assert.Single(logger.Entries).Level);
    }

    [Fact]
    public async Task PaymentMethodsUrlAsync_RetriesWithTheSameIdempotencyKey_WhenStripeAnswers500()
    {
        var tenant = NewTenant();
        _stripe.OnFirstThen("POST", "/v1/customers",
                (500, StripeStandIn.ErrorJson("api_error", "", "Something went wrong")),
                (200, """{"id":"cus_after_retry","object":"customer"}"""))
            .OnPortalSession();

        var result = await _stripe.CreateGateway().PaymentMethodsUrlAsync(tenant, ReturnUrl, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var attempts = _stripe.CallsTo("POST", "/v1/customers");
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal($"tp-customer-{tenant.Id}", a.IdempotencyKey));
        Assert.Equal("cus_after_retry", tenant.StripeCustomerId);
    }

    [Fact]
    public async Task ReactivateAsync_Throws_WhenTheCallerCancels()
    {
        var tenant = WithSubscription(NewTenant(), "sub_1");
        _stripe.OnSubscription("sub_1");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _stripe.CreateGateway().ReactivateAsync(tenant, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void IsExternal_IsTrue()
    {
        IPaymentGateway gateway = _stripe.CreateGateway();

        Assert.True(gateway.IsExternal);
    }

    // ----- helpers -----

    private static Tenant NewTenant() => new TenantBuilder().Build();

    private static Tenant WithCustomer(Tenant tenant, string customerId = "cus_standin") => tenant.LinkStripe(customerId);

    private static Tenant WithSubscription(Tenant tenant, string subscriptionId) => tenant.LinkStripe("cus_standin", subscriptionId);

    // October 2026: a base line (billed by the subscription), API-call overage, and a credit for September.
    private static Invoice NewInvoice(Tenant tenant, bool subscribed = true)
    {
        if (subscribed && tenant.StripeSubscriptionId is null)
            tenant.LinkStripe(customerId: null, "sub_billing_base");
        var invoice = new Invoice
        {
            TenantId = tenant.Id,
            Number = $"{tenant.Slug.ToUpperInvariant()}-202610",
            PeriodStart = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero),
            PeriodEnd = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
            Tier = SubscriptionTier.Starter,
            Status = InvoiceStatus.Draft,
        };
        invoice.Lines.Add(new InvoiceLine
        {
            TenantId = tenant.Id, InvoiceId = invoice.Id, Kind = InvoiceLineKind.Base,
            Description = "Starter plan, October 2026", Quantity = 1, UnitPriceCents = 4900, AmountCents = 4900,
        });
        invoice.Lines.Add(new InvoiceLine
        {
            TenantId = tenant.Id, InvoiceId = invoice.Id, Kind = InvoiceLineKind.Overage, Metric = UsageMetric.ApiCalls,
            UsagePeriodStart = invoice.PeriodStart, Description = "API calls beyond 100,000", Quantity = 25_000, UnitPriceCents = 0.05m, AmountCents = 1250,
        });
        invoice.Lines.Add(new InvoiceLine
        {
            TenantId = tenant.Id, InvoiceId = invoice.Id, Kind = InvoiceLineKind.Adjustment, Metric = UsageMetric.GpuHours,
            UsagePeriodStart = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero), Description = "GPU hours credit, September 2026",
            Quantity = -1, UnitPriceCents = 300, AmountCents = -300,
        });
        invoice.RecalculateTotal();
        return invoice;
    }

    private sealed class CapturingLogger : ILogger<StripePaymentGateway>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
