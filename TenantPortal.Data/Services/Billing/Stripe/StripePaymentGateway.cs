using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using BillingPortalSessionCreateOptions = global::Stripe.BillingPortal.SessionCreateOptions;
using BillingPortalSessionService = global::Stripe.BillingPortal.SessionService;
using CheckoutSessionCreateOptions = global::Stripe.Checkout.SessionCreateOptions;
using CheckoutSessionLineItemOptions = global::Stripe.Checkout.SessionLineItemOptions;
using CheckoutSessionService = global::Stripe.Checkout.SessionService;
using CheckoutSessionSubscriptionDataOptions = global::Stripe.Checkout.SessionSubscriptionDataOptions;
using Error = TenantPortal.Core.Common.Error;
using CreditNote = TenantPortal.Core.Billing.CreditNote;
using Invoice = TenantPortal.Core.Billing.Invoice;
using StripeCreditNoteService = global::Stripe.CreditNoteService;
using StripeInvoiceService = global::Stripe.InvoiceService;

namespace TenantPortal.Data.Services.Billing.Stripe;

/// <summary>
/// The Stripe gateway (<c>Stripe:SecretKey</c> set): a customer per tenant, prices found by lookup key, Checkout for the
/// first subscription, subscription updates for plan changes, the Customer Portal for payment methods and overage as
/// invoice items. Every POST carries an idempotency key derived from the portal's own ids, so Stripe.net's network
/// retries and a repeated call by the billing service never create anything twice. Refusals and network failures come
/// back as <see cref="ErrorCodes.PaymentProvider"/> failures, never as exceptions.
/// </summary>
public sealed class StripePaymentGateway : IPaymentGateway
{
    /// <summary>
    /// Retries Stripe.net makes on a connection failure, a 409 or a 5xx. Safe because every POST has an idempotency key;
    /// kept small because a person is waiting on most calls.
    /// </summary>
    public const int MaxNetworkRetries = 2;

    private const string UnreachableMessage = "Stripe could not be reached; nothing was changed. Try again in a moment.";

    private readonly TimeProvider _time;
    private readonly ILogger<StripePaymentGateway> _logger;
    private readonly StripePrices _prices;
    private readonly CustomerService _customers;
    private readonly SubscriptionService _subscriptions;
    private readonly CheckoutSessionService _checkoutSessions;
    private readonly BillingPortalSessionService _portalSessions;
    private readonly StripeInvoiceService _invoices;
    private readonly InvoiceItemService _invoiceItems;
    private readonly StripeCreditNoteService _creditNotes;

    /// <summary>Creates the gateway with a Stripe client for the configured key and address.</summary>
    public StripePaymentGateway(IOptions<StripeOptions> options, TimeProvider time, ILogger<StripePaymentGateway> logger)
    {
        var stripe = options.Value;
        if (!stripe.Enabled)
            throw new InvalidOperationException("The Stripe gateway needs Stripe:SecretKey; without it billing runs on the local ledger.");
        _time = time;
        _logger = logger;
        var client = new StripeClient(new StripeClientOptions
        {
            ApiKey = stripe.SecretKey,
            ApiBase = string.IsNullOrWhiteSpace(stripe.ApiBase) ? null : stripe.ApiBase.TrimEnd('/'),
            HttpClient = new SystemNetHttpClient(httpClient: null, maxNetworkRetries: MaxNetworkRetries),
        });
        _prices = new StripePrices(client);
        _customers = new CustomerService(client);
        _subscriptions = new SubscriptionService(client);
        _checkoutSessions = new CheckoutSessionService(client);
        _portalSessions = new BillingPortalSessionService(client);
        _invoices = new StripeInvoiceService(client);
        _invoiceItems = new InvoiceItemService(client);
        _creditNotes = new StripeCreditNoteService(client);
    }

    /// <inheritdoc />
    public bool IsExternal => true;

    /// <inheritdoc />
    public async Task<Result<string?>> StartSubscriptionAsync(Tenant tenant, SubscriptionTier tier, BillingCycle cycle, Uri returnUrl, CancellationToken cancellationToken)
    {
        if (tier == SubscriptionTier.Free)
            return FreeHasNoPrice();
        string? url = null;
        var error = await CallAsync("checkout session", tenant, async () =>
        {
            var price = await _prices.PriceIdAsync(tier, cycle, cancellationToken);
            if (!price.IsSuccess)
                return RefusedPrice(tenant, price.Error);
            var priceId = price.Value;
            var customerId = await EnsureCustomerAsync(tenant, cancellationToken);
            var metadata = PlanMetadata(tenant, tier, cycle);
            var session = await _checkoutSessions.CreateAsync(new CheckoutSessionCreateOptions
            {
                Mode = "subscription",
                Customer = customerId,
                ClientReferenceId = tenant.Id.ToString(),
                LineItems = [new CheckoutSessionLineItemOptions { Price = priceId, Quantity = 1 }],
                Metadata = metadata,
                SubscriptionData = new CheckoutSessionSubscriptionDataOptions { Metadata = new Dictionary<string, string>(metadata) },
                // Stripe fills in {CHECKOUT_SESSION_ID} itself; it must reach Stripe unescaped.
                SuccessUrl = WithQuery(returnUrl, "checkout=success&session_id={CHECKOUT_SESSION_ID}"),
                CancelUrl = WithQuery(returnUrl, "checkout=cancelled"),
            }, Key($"tp-checkout-{tenant.Id}-{priceId}-{_time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture)}"),
            cancellationToken);
            url = session.Url;
            return null;
        }, cancellationToken);
        return error ?? Result<string?>.Ok(url);
    }

    /// <inheritdoc />
    public async Task<Result> ChangePlanAsync(Tenant tenant, SubscriptionTier tier, BillingCycle cycle, bool prorate, CancellationToken cancellationToken)
    {
        if (tier == SubscriptionTier.Free)
            return FreeHasNoPrice();
        if (string.IsNullOrEmpty(tenant.StripeSubscriptionId))
            return NoSubscription();
        var subscriptionId = tenant.StripeSubscriptionId;
        var error = await CallAsync("subscription plan change", tenant, async () =>
        {
            var price = await _prices.PriceIdAsync(tier, cycle, cancellationToken);
            if (!price.IsSuccess)
                return RefusedPrice(tenant, price.Error);
            var priceId = price.Value;
            var subscription = await _subscriptions.GetAsync(subscriptionId, cancellationToken: cancellationToken);
            var itemId = subscription.Items?.Data?.FirstOrDefault()?.Id;
            if (itemId is null)
                return new Error(ErrorCodes.PaymentProvider, $"The Stripe subscription {subscriptionId} has no item to change; nothing was changed.");
            var lookupKey = StripeLookupKeys.Price(tier, cycle);
            await _subscriptions.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions
            {
                Items = [new SubscriptionItemOptions { Id = itemId, Price = priceId }],
                ProrationBehavior = prorate ? "always_invoice" : "none",
                Metadata = new Dictionary<string, string>
                {
                    [StripeMetadata.Tier] = StripeLookupKeys.TierName(tier),
                    [StripeMetadata.Cycle] = StripeLookupKeys.CycleName(cycle),
                },
            }, Key($"tp-subscription-update-{subscriptionId}-{lookupKey}-{(prorate ? "prorate" : "no-proration")}-{tenant.ConcurrencyStamp:N}"),
            cancellationToken);
            return null;
        }, cancellationToken);
        return error ?? Result.Success();
    }

    /// <inheritdoc />
    public async Task<Result> CancelAsync(Tenant tenant, bool atPeriodEnd, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(tenant.StripeSubscriptionId))
            return NoSubscription();
        var subscriptionId = tenant.StripeSubscriptionId;
        var error = await CallAsync(atPeriodEnd ? "subscription cancel at period end" : "subscription cancel now", tenant, async () =>
        {
            if (atPeriodEnd)
                await _subscriptions.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { CancelAtPeriodEnd = true },
                    Key($"tp-subscription-cancel-at-period-end-{subscriptionId}-{tenant.ConcurrencyStamp:N}"), cancellationToken);
            else
                // A subscription ends only once: the key needs nothing beyond its id.
                await _subscriptions.CancelAsync(subscriptionId, new SubscriptionCancelOptions { Prorate = true, InvoiceNow = true },
                    Key($"tp-subscription-cancel-{subscriptionId}"), cancellationToken);
            return null;
        }, cancellationToken);
        return error ?? Result.Success();
    }

    /// <inheritdoc />
    public async Task<Result> ReactivateAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(tenant.StripeSubscriptionId))
            return NoSubscription();
        var subscriptionId = tenant.StripeSubscriptionId;
        var error = await CallAsync("subscription reactivation", tenant, async () =>
        {
            await _subscriptions.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { CancelAtPeriodEnd = false },
                Key($"tp-subscription-reactivate-{subscriptionId}-{tenant.ConcurrencyStamp:N}"), cancellationToken);
            return null;
        }, cancellationToken);
        return error ?? Result.Success();
    }

    /// <inheritdoc />
    public async Task<Result<string>> PaymentMethodsUrlAsync(Tenant tenant, Uri returnUrl, CancellationToken cancellationToken)
    {
        string url = "";
        var error = await CallAsync("billing portal session", tenant, async () =>
        {
            var customerId = await EnsureCustomerAsync(tenant, cancellationToken);
            // A portal session is short-lived and each visit wants a fresh one: the key is per call, and only makes
            // Stripe.net's own retries of this call safe.
            var session = await _portalSessions.CreateAsync(new BillingPortalSessionCreateOptions
            {
                Customer = customerId,
                ReturnUrl = returnUrl.AbsoluteUri,
            }, Key($"tp-portal-{tenant.Id}-{Guid.NewGuid():N}"), cancellationToken);
            url = session.Url;
            return null;
        }, cancellationToken);
        return error ?? Result<string>.Ok(url);
    }

    /// <inheritdoc />
    public async Task<Result<IssuedInvoice>> IssueInvoiceAsync(Tenant tenant, Invoice invoice, CancellationToken cancellationToken)
    {
        // A tenant's Stripe subscription bills the base price on its own; only what lies beyond it goes on this invoice.
        // A tenant without one is billed every line here (the billing jobs keep such tenants' invoices on the ledger:
        // PaymentGatewayRouting).
        var billable = invoice.Lines
            .Where(l => l.AmountCents != 0 && (l.Kind != InvoiceLineKind.Base || tenant.StripeSubscriptionId is null))
            .ToList();
        if (billable.Count == 0)
            return new IssuedInvoice(InvoiceStatus.Paid);

        IssuedInvoice? issued = null;
        var error = await CallAsync("usage invoice", tenant, async () =>
        {
            var customerId = await EnsureCustomerAsync(tenant, cancellationToken);
            var currency = invoice.Currency.ToLowerInvariant();
            // Stripe keeps idempotency keys for 24 hours, and a draft left by a failure is issued again by the next daily
            // run: so look for this invoice in Stripe first, and never create a second one.
            var existing = await FindAsync(customerId, invoice, cancellationToken);
            if (existing is not null && existing.Status != "draft")
            {
                issued = new IssuedInvoice(StatusOf(existing.Status), existing.Id, existing.HostedInvoiceUrl);
                return null;
            }
            var draft = existing ?? await _invoices.CreateAsync(new InvoiceCreateOptions
            {
                Customer = customerId,
                Currency = currency,
                CollectionMethod = "charge_automatically",
                AutoAdvance = true,
                // Only the items created below: nothing else pending on the customer rides along.
                PendingInvoiceItemsBehavior = "exclude",
                Description = $"Usage {invoice.Number}",
                Metadata = new Dictionary<string, string>
                {
                    [StripeMetadata.TenantId] = tenant.Id.ToString(),
                    [StripeMetadata.InvoiceId] = invoice.Id.ToString(),
                    [StripeMetadata.InvoiceNumber] = invoice.Number,
                },
            }, Key($"tp-invoice-{invoice.Id}"), cancellationToken);

            var present = existing is null ? [] : await ItemLineIdsAsync(draft.Id, cancellationToken);
            foreach (var line in billable.Where(l => !present.Contains(l.Id.ToString())))
                await _invoiceItems.CreateAsync(new InvoiceItemCreateOptions
                {
                    Customer = customerId,
                    Invoice = draft.Id,
                    Amount = line.AmountCents,
                    Currency = currency,
                    Description = line.Description,
                    Metadata = LineMetadata(line),
                }, Key($"tp-invoice-item-{line.Id}"), cancellationToken);

            var finalized = await _invoices.FinalizeInvoiceAsync(draft.Id, new InvoiceFinalizeOptions(),
                Key($"tp-invoice-finalize-{invoice.Id}"), cancellationToken);
            issued = new IssuedInvoice(StatusOf(finalized.Status), finalized.Id, finalized.HostedInvoiceUrl);
            return null;
        }, cancellationToken);
        return error ?? Result<IssuedInvoice>.Ok(issued!);
    }

    /// <inheritdoc />
    public async Task<Result<IssuedCreditNote>> IssueCreditNoteAsync(Tenant tenant, Invoice invoice, CreditNote creditNote, CancellationToken cancellationToken)
    {
        if (invoice.StripeInvoiceId is not { } stripeInvoiceId)
            return new Error(ErrorCodes.PaymentProvider, $"Invoice {invoice.Number} is not in Stripe; its credit notes are recorded on the ledger.");
        IssuedCreditNote? issued = null;
        var settlement = invoice.Status == InvoiceStatus.Paid ? CreditNoteSettlement.CustomerBalance : CreditNoteSettlement.AmountDueReduced;
        var error = await CallAsync("credit note", tenant, async () =>
        {
            // Stripe keeps idempotency keys for 24 hours and a pending credit note is retried by the next daily run: look
            // for the one made for it first.
            var existing = await _creditNotes.ListAsync(new CreditNoteListOptions { Invoice = stripeInvoiceId, Limit = 100 }, requestOptions: null,
                cancellationToken);
            var made = existing.Data.FirstOrDefault(n => n.Metadata is { } m
                && m.TryGetValue(StripeMetadata.CreditNoteNumber, out var number) && number == creditNote.Number);
            if (made is not null)
            {
                issued = new IssuedCreditNote(settlement, made.Id);
                return null;
            }
            var created = await _creditNotes.CreateAsync(new CreditNoteCreateOptions
            {
                Invoice = stripeInvoiceId,
                Reason = "order_change",
                Memo = creditNote.Reason.Length > 500 ? creditNote.Reason[..500] : creditNote.Reason,
                Lines = creditNote.Lines.OrderBy(l => l.Position).Select(l => new CreditNoteLineOptions
                {
                    Type = "custom_line_item",
                    Description = l.Description,
                    Quantity = 1,
                    UnitAmount = l.AmountCents,
                }).ToList(),
                // A paid invoice's credit goes to the customer's balance, and Stripe takes it off the next invoice.
                CreditAmount = settlement == CreditNoteSettlement.CustomerBalance ? creditNote.TotalCents : null,
                Metadata = new Dictionary<string, string>
                {
                    [StripeMetadata.TenantId] = tenant.Id.ToString(),
                    [StripeMetadata.InvoiceNumber] = invoice.Number,
                    [StripeMetadata.CreditNoteNumber] = creditNote.Number,
                    [StripeMetadata.UsagePeriod] = creditNote.UsagePeriodStart.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                },
            }, Key($"tp-credit-note-{creditNote.Number}"), cancellationToken);
            issued = new IssuedCreditNote(settlement, created.Id);
            return null;
        }, cancellationToken);
        return error ?? Result<IssuedCreditNote>.Ok(issued!);
    }

    /// <inheritdoc />
    public async Task<Result<string?>> StartCreditPurchaseAsync(Tenant tenant, long amountCents, Uri returnUrl, CancellationToken cancellationToken)
    {
        string? url = null;
        var error = await CallAsync("credit purchase checkout session", tenant, async () =>
        {
            var customerId = await EnsureCustomerAsync(tenant, cancellationToken);
            var metadata = new Dictionary<string, string>
            {
                [StripeMetadata.TenantId] = tenant.Id.ToString(),
                [StripeMetadata.Purpose] = StripeMetadata.CreditsPurpose,
                [StripeMetadata.AmountCents] = amountCents.ToString(CultureInfo.InvariantCulture),
            };
            var session = await _checkoutSessions.CreateAsync(new CheckoutSessionCreateOptions
            {
                Mode = "payment",
                Customer = customerId,
                ClientReferenceId = tenant.Id.ToString(),
                LineItems =
                [
                    new CheckoutSessionLineItemOptions
                    {
                        Quantity = 1,
                        PriceData = new global::Stripe.Checkout.SessionLineItemPriceDataOptions
                        {
                            Currency = "usd",
                            UnitAmount = amountCents,
                            ProductData = new global::Stripe.Checkout.SessionLineItemPriceDataProductDataOptions
                            {
                                Name = "Prepaid credits",
                                Description = $"{Money.Format(amountCents)} of credits for {tenant.Name}",
                            },
                        },
                    },
                ],
                Metadata = metadata,
                PaymentIntentData = new global::Stripe.Checkout.SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string>(metadata) },
                // Stripe fills in {CHECKOUT_SESSION_ID} itself; it must reach Stripe unescaped.
                SuccessUrl = WithQuery(returnUrl, "credits=success&session_id={CHECKOUT_SESSION_ID}"),
                CancelUrl = WithQuery(returnUrl, "credits=cancelled"),
            }, Key($"tp-credits-checkout-{tenant.Id}-{amountCents}-{_time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)}"),
            cancellationToken);
            url = session.Url;
            return null;
        }, cancellationToken);
        return error ?? Result<string?>.Ok(url);
    }

    // The Stripe invoice made for a local one earlier, found by its metadata among the customer's recent invoices.
    private async Task<global::Stripe.Invoice?> FindAsync(string customerId, Invoice invoice, CancellationToken cancellationToken)
    {
        var recent = await _invoices.ListAsync(new InvoiceListOptions
        {
            Customer = customerId,
            Limit = 100,
            // Issued after its period closed: nothing older can be it.
            Created = new DateRangeOptions { GreaterThanOrEqual = invoice.PeriodEnd.UtcDateTime },
        }, requestOptions: null, cancellationToken);
        return recent.Data.FirstOrDefault(i => i.Metadata is { } m
            && m.TryGetValue(StripeMetadata.InvoiceId, out var id) && id == invoice.Id.ToString());
    }

    // The local line ids of the items already on a Stripe invoice.
    private async Task<HashSet<string>> ItemLineIdsAsync(string stripeInvoiceId, CancellationToken cancellationToken)
    {
        var items = await _invoiceItems.ListAsync(new InvoiceItemListOptions { Invoice = stripeInvoiceId, Limit = 100 }, requestOptions: null, cancellationToken);
        return items.Data.Select(i => i.Metadata?.GetValueOrDefault(StripeMetadata.LineId)).OfType<string>().ToHashSet();
    }

    private async Task<string> EnsureCustomerAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(tenant.StripeCustomerId))
            return tenant.StripeCustomerId;
        var customer = await _customers.CreateAsync(new CustomerCreateOptions
        {
            Email = string.IsNullOrWhiteSpace(tenant.BillingEmail) ? null : tenant.BillingEmail,
            Name = tenant.Name,
            Metadata = new Dictionary<string, string>
            {
                [StripeMetadata.TenantId] = tenant.Id.ToString(),
                [StripeMetadata.TenantSlug] = tenant.Slug,
            },
        }, Key($"tp-customer-{tenant.Id}"), cancellationToken);
        tenant.LinkStripeCustomer(customer.Id);
        return customer.Id;
    }

    // Runs the Stripe calls of one request; a refusal or a network failure becomes the returned error, logged once.
    private async Task<Error?> CallAsync(string request, Tenant tenant, Func<Task<Error?>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (StripeException ex)
        {
            _logger.LogWarning(
                "Stripe refused the {Request} for tenant {TenantId}: HTTP {StatusCode}, error type {ErrorType}, code {ErrorCode}, request {RequestId}",
                request, tenant.Id, (int)ex.HttpStatusCode, ex.StripeError?.Type, ex.StripeError?.Code, ex.StripeResponse?.RequestId);
            var reason = string.IsNullOrWhiteSpace(ex.StripeError?.Message) ? ex.Message : ex.StripeError.Message;
            return new Error(ErrorCodes.PaymentProvider, $"Stripe refused the request: {reason}");
        }
        catch (HttpRequestException ex)
        {
            _logger.LogWarning(ex, "Stripe could not be reached for the {Request} for tenant {TenantId}", request, tenant.Id);
            return new Error(ErrorCodes.PaymentProvider, UnreachableMessage);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Stripe.net's HTTP timeout, not the caller giving up (that propagates).
            _logger.LogWarning(ex, "Stripe timed out on the {Request} for tenant {TenantId}", request, tenant.Id);
            return new Error(ErrorCodes.PaymentProvider, UnreachableMessage);
        }
    }

    // A price found by lookup key that is not what the plan says: an operator fixes it in Stripe.
    private Error RefusedPrice(Tenant tenant, Error error)
    {
        _logger.LogError("Refused a Stripe price for tenant {TenantId}: {Message}", tenant.Id, error.Message);
        return error;
    }

    private static Dictionary<string, string> PlanMetadata(Tenant tenant, SubscriptionTier tier, BillingCycle cycle) => new()
    {
        [StripeMetadata.TenantId] = tenant.Id.ToString(),
        [StripeMetadata.Tier] = StripeLookupKeys.TierName(tier),
        [StripeMetadata.Cycle] = StripeLookupKeys.CycleName(cycle),
    };

    private static Dictionary<string, string> LineMetadata(InvoiceLine line)
    {
        var metadata = new Dictionary<string, string> { [StripeMetadata.LineId] = line.Id.ToString() };
        if (line.Metric is { } metric)
            metadata[StripeMetadata.Metric] = UsageMetrics.Name(metric);
        if (line.UsagePeriodStart is { } start)
            metadata[StripeMetadata.UsagePeriod] = start.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return metadata;
    }

    private static InvoiceStatus StatusOf(string? stripeStatus) => stripeStatus switch
    {
        "paid" => InvoiceStatus.Paid,
        "void" => InvoiceStatus.Void,
        "uncollectible" => InvoiceStatus.Uncollectible,
        // "open" and anything unexpected: money may still be owed, the webhooks bring the final state.
        _ => InvoiceStatus.Open,
    };

    // Appends to the return address's own query, if any; a fragment would hide the query from the server, so it goes.
    private static string WithQuery(Uri returnUrl, string query) =>
        returnUrl.GetLeftPart(UriPartial.Query) + (string.IsNullOrEmpty(returnUrl.Query) ? "?" : "&") + query;

    private static RequestOptions Key(string idempotencyKey) => new() { IdempotencyKey = idempotencyKey };

    private static Error FreeHasNoPrice() =>
        Error.Invalid("tier", "The Free plan has no Stripe price; moving to Free is a cancellation of the subscription.");

    private static Error NoSubscription() =>
        new(ErrorCodes.NoSubscription, "This tenant has no Stripe subscription.");
}
