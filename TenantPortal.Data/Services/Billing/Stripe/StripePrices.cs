using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Stripe;
using Error = TenantPortal.Core.Common.Error;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing.Stripe;

/// <summary>
/// Finds the Stripe price of a paid tier and cycle by its lookup key, creating the product and the price from
/// <see cref="PlanCatalog"/> when the account has none yet. Found ids are cached for the life of the process: a price's
/// id never changes, and a new price for a key only appears through this class or an operator (who restarts to pick it up).
/// Stripe errors propagate as <see cref="StripeException"/>; the gateway turns them into results. A found price that
/// does not match its plan is a failed result.
/// </summary>
internal sealed class StripePrices(IStripeClient client)
{
    private readonly PriceService _prices = new(client);
    private readonly ProductService _products = new(client);
    private readonly ConcurrentDictionary<string, string> _idsByLookupKey = new(StringComparer.Ordinal);

    /// <summary>The currency of every price the portal uses (the plans' prices are in US dollars).</summary>
    public const string Currency = "usd";

    /// <summary>
    /// The price id of a paid tier and cycle. A price found by lookup key is used only when it is what the plan says
    /// (the lookup key, <see cref="Currency"/>, the plan's amount, billed every month or every year): otherwise the
    /// result is a <see cref="ErrorCodes.PaymentProvider"/> failure naming the key and what differs, never a wrong
    /// price. The Free tier has no price; callers check that first.
    /// </summary>
    public async Task<Result<string>> PriceIdAsync(SubscriptionTier tier, BillingCycle cycle, CancellationToken cancellationToken)
    {
        if (tier == SubscriptionTier.Free)
            throw new ArgumentOutOfRangeException(nameof(tier), tier, "The Free tier has no Stripe price.");
        var lookupKey = StripeLookupKeys.Price(tier, cycle);
        if (_idsByLookupKey.TryGetValue(lookupKey, out var cached))
            return cached;

        var found = await _prices.ListAsync(
            new PriceListOptions { LookupKeys = [lookupKey], Active = true, Limit = 1 }, cancellationToken: cancellationToken);
        string id;
        if (found.Data.FirstOrDefault() is { } price)
        {
            var differences = Differences(price, tier, cycle, lookupKey);
            if (differences.Count > 0)
            {
                var plan = string.Create(CultureInfo.InvariantCulture, $"{PlanCatalog.For(tier).PriceCents(cycle)} cents {Currency} every 1 {Interval(cycle)}");
                return new Error(ErrorCodes.PaymentProvider,
                    $"The Stripe price {price.Id} found by lookup key {lookupKey} does not match the {tier} plan ({plan}): "
                    + $"{string.Join("; ", differences)}. Correct or archive that price in Stripe; nothing was changed.");
            }
            id = price.Id;
        }
        else
            id = await CreatePriceAsync(tier, cycle, lookupKey, cancellationToken);
        _idsByLookupKey[lookupKey] = id;
        return id;
    }

    // What of a found price differs from the plan: its lookup key, currency, amount and recurring interval.
    private static List<string> Differences(Price price, SubscriptionTier tier, BillingCycle cycle, string lookupKey)
    {
        var differences = new List<string>();
        if (!string.Equals(price.LookupKey, lookupKey, StringComparison.Ordinal))
            differences.Add($"its lookup key is {price.LookupKey ?? "not set"}");
        if (!string.Equals(price.Currency, Currency, StringComparison.OrdinalIgnoreCase))
            differences.Add($"its currency is {price.Currency ?? "not set"}, not {Currency}");
        var amount = PlanCatalog.For(tier).PriceCents(cycle);
        if (price.UnitAmount != amount)
            differences.Add(string.Create(CultureInfo.InvariantCulture,
                $"its amount is {(price.UnitAmount is { } cents ? $"{cents} cents" : "not a fixed unit amount")}, not {amount} cents"));
        if (price.Recurring is not { } recurring || recurring.Interval != Interval(cycle) || recurring.IntervalCount != 1)
            differences.Add(price.Recurring is { } r
                ? string.Create(CultureInfo.InvariantCulture, $"its interval is every {r.IntervalCount} {r.Interval}, not every 1 {Interval(cycle)}")
                : $"its interval is not set (a one-time price), not every 1 {Interval(cycle)}");
        return differences;
    }

    private static string Interval(BillingCycle cycle) => cycle == BillingCycle.Annual ? "year" : "month";

    private async Task<string> CreatePriceAsync(SubscriptionTier tier, BillingCycle cycle, string lookupKey, CancellationToken cancellationToken)
    {
        var productId = await EnsureProductAsync(tier, cancellationToken);
        var amount = PlanCatalog.For(tier).PriceCents(cycle);
        var price = await _prices.CreateAsync(new PriceCreateOptions
        {
            Product = productId,
            UnitAmount = amount,
            Currency = Currency,
            Recurring = new PriceRecurringOptions { Interval = Interval(cycle) },
            LookupKey = lookupKey,
            // An inactive price may still hold the key (an operator archived it); the new price takes it over.
            TransferLookupKey = true,
            Metadata = new Dictionary<string, string>
            {
                [StripeMetadata.Tier] = StripeLookupKeys.TierName(tier),
                [StripeMetadata.Cycle] = StripeLookupKeys.CycleName(cycle),
            },
        }, new RequestOptions { IdempotencyKey = $"tp-price-{lookupKey}-{amount}" }, cancellationToken);
        return price.Id;
    }

    private async Task<string> EnsureProductAsync(SubscriptionTier tier, CancellationToken cancellationToken)
    {
        var productId = StripeLookupKeys.Product(tier);
        try
        {
            return (await _products.GetAsync(productId, cancellationToken: cancellationToken)).Id;
        }
        catch (StripeException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            // Not there yet: created below with the deterministic id.
        }
        var product = await _products.CreateAsync(new ProductCreateOptions
        {
            Id = productId,
            Name = $"TenantPortal {tier}",
            Metadata = new Dictionary<string, string> { [StripeMetadata.Tier] = StripeLookupKeys.TierName(tier) },
        }, new RequestOptions { IdempotencyKey = $"tp-product-{productId}" }, cancellationToken);
        return product.Id;
    }
}
