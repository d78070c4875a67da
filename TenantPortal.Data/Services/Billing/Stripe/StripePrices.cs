using System.Collections.Concurrent;
using System.Net;
using Stripe;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing.Stripe;

/// <summary>
/// Finds the Stripe price of a paid tier and cycle by its lookup key, creating the product and the price from
/// <see cref="PlanCatalog"/> when the account has none yet. Found ids are cached for the life of the process: a price's
/// id never changes, and a new price for a key only appears through this class or an operator (who restarts to pick it up).
/// Stripe errors propagate as <see cref="StripeException"/>; the gateway turns them into results.
/// </summary>
internal sealed class StripePrices(IStripeClient client)
{
    private readonly PriceService _prices = new(client);
    private readonly ProductService _products = new(client);
    private readonly ConcurrentDictionary<string, string> _idsByLookupKey = new(StringComparer.Ordinal);

    /// <summary>The price id of a paid tier and cycle. The Free tier has no price; callers check that first.</summary>
    public async Task<string> PriceIdAsync(SubscriptionTier tier, BillingCycle cycle, CancellationToken cancellationToken)
    {
        if (tier == SubscriptionTier.Free)
            throw new ArgumentOutOfRangeException(nameof(tier), tier, "The Free tier has no Stripe price.");
        var lookupKey = StripeLookupKeys.Price(tier, cycle);
        if (_idsByLookupKey.TryGetValue(lookupKey, out var cached))
            return cached;

        var found = await _prices.ListAsync(
            new PriceListOptions { LookupKeys = [lookupKey], Active = true, Limit = 1 }, cancellationToken: cancellationToken);
        var id = found.Data.FirstOrDefault()?.Id ?? await CreatePriceAsync(tier, cycle, lookupKey, cancellationToken);
        _idsByLookupKey[lookupKey] = id;
        return id;
    }

    private async Task<string> CreatePriceAsync(SubscriptionTier tier, BillingCycle cycle, string lookupKey, CancellationToken cancellationToken)
    {
        var productId = await EnsureProductAsync(tier, cancellationToken);
        var amount = PlanCatalog.For(tier).PriceCents(cycle);
        var price = await _prices.CreateAsync(new PriceCreateOptions
        {
            Product = productId,
            UnitAmount = amount,
            Currency = "usd",
            Recurring = new PriceRecurringOptions { Interval = cycle == BillingCycle.Annual ? "year" : "month" },
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
