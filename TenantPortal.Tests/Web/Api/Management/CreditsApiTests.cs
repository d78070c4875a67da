using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Api.Management;

[Collection(PortalCollection.Name)]
public class CreditsApiTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Get_ReturnsTheBalanceGrantsAndConsumption_InCents()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        var (promo, bought, revoked, number) = await ArrangeAsync(slug);
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.BillingRead));

        var response = await client.GetAsync("/api/v1/credits");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal(["balanceCents", "currency", "thisPeriodUseCents", "dailyBurnCents", "projectedRunOutAt", "lowBalanceThresholdCents", "grants", "consumption"],
            body.EnumerateObject().Select(p => p.Name));
        // 2,000 left of the promotion and 1,500 bought; the revoked grant counts for nothing.
        Assert.Equal(3_500, body.GetProperty("balanceCents").GetInt64());
        Assert.Equal("usd", body.GetProperty("currency").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("lowBalanceThresholdCents").ValueKind);
        // The running period's base (Starter, $49.00) exceeds the balance, which it would use whole.
        Assert.Equal(3_500, body.GetProperty("thisPeriodUseCents").GetInt64());
        Assert.Equal(JsonValueKind.String, body.GetProperty("projectedRunOutAt").ValueKind);

        var grants = body.GetProperty("grants").EnumerateArray().ToDictionary(g => g.GetProperty("id").GetGuid());
        Assert.Equal(["id", "source", "amountCents", "remainingCents", "priority", "expiresAt", "reason", "createdAt", "revokedAt", "revokedCents", "expired"],
            grants[promo].EnumerateObject().Select(p => p.Name));
        Assert.Equal(("promotional", 5_000L, 2_000L, 10), (grants[promo].GetProperty("source").GetString(), grants[promo].GetProperty("amountCents").GetInt64(),
            grants[promo].GetProperty("remainingCents").GetInt64(), grants[promo].GetProperty("priority").GetInt32()));
        Assert.Equal(JsonValueKind.String, grants[promo].GetProperty("expiresAt").ValueKind);
        Assert.Equal(("purchase", JsonValueKind.Null), (grants[bought].GetProperty("source").GetString(), grants[bought].GetProperty("expiresAt").ValueKind));
        Assert.Equal((0L, 700L, JsonValueKind.String), (grants[revoked].GetProperty("remainingCents").GetInt64(), grants[revoked].GetProperty("revokedCents").GetInt64(),
            grants[revoked].GetProperty("revokedAt").ValueKind));

        var used = Assert.Single(body.GetProperty("consumption").EnumerateArray());
        Assert.Equal((number, promo, 3_000L), (used.GetProperty("invoice").GetString(), used.GetProperty("grantId").GetGuid(), used.GetProperty("amountCents").GetInt64()));
    }

    [Fact]
    public async Task Get_WithoutBillingRead_Is403MissingScope()
    {
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "acme", ApiKeyScopes.UsageRead));

        var response = await client.GetAsync("/api/v1/credits");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "missing_scope");
    }

    // A promotion of 5,000 that paid 3,000 of an October invoice, a purchase of 1,500 and a revoked operator grant (700 unused).
    private async Task<(Guid Promo, Guid Bought, Guid Revoked, string Number)> ArrangeAsync(string slug)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug);
        var promo = CreditGrant.Create(tenant.Id, CreditSource.Promotional, 5_000, 10, now.AddDays(60), "Welcome", "op", now.AddDays(-40)).Value;
        var bought = CreditGrant.Create(tenant.Id, CreditSource.Purchase, 1_500, 100, null, "Bought", "owner", now.AddDays(-1)).Value;
        var revoked = CreditGrant.Create(tenant.Id, CreditSource.Operator, 700, 50, null, "Oops", "op", now.AddDays(-2)).Value;
        Assert.True(revoked.Revoke("op", "Given by mistake", now).IsSuccess);
        var periodStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-1);
        var invoice = InvoiceComposer.Compose(tenant, periodStart, new PeriodUsage(0, 0, 0), now.AddDays(-3));
        Assert.True(promo.Consume(3_000, now.AddDays(-3)).IsSuccess);
        db.CreditGrants.AddRange(promo, bought, revoked);
        db.Invoices.Add(invoice);
        db.CreditConsumptions.Add(new CreditConsumption
        {
            TenantId = tenant.Id, GrantId = promo.Id, InvoiceId = invoice.Id, InvoiceNumber = invoice.Number, AmountCents = 3_000, At = now.AddDays(-3),
        });
        await db.SaveChangesAsync();
        return (promo.Id, bought.Id, revoked.Id, invoice.Number);
    }
}
