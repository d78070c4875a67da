using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Billing.Webhooks;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Builders.StripeEventBuilder;

namespace TenantPortal.Tests.Data.Operations;

/// <summary>
/// The operators' Stripe inbox on the SQLite test database: alpha is linked to <c>cus_alpha</c>; beta is not linked
/// yet, so an invoice event of <c>cus_beta</c> fails until an operator links it and processes the event again.
/// </summary>
public abstract class StripeInboxServiceTests(TenancyTestBed template) : IAsyncLifetime
{
    public sealed class Sqlite(TenancyTestBed template) : StripeInboxServiceTests(template), IClassFixture<TenancyTestBed>;

    public sealed class PostgreSql(TenancyTestBed.OnPostgreSql template) : StripeInboxServiceTests(template), IClassFixture<TenancyTestBed.OnPostgreSql>;

    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TenancyTestBed _bed = template.Clone();
    private ServiceProvider _services = default!;
    private DateTimeOffset T0 => _bed.Time.GetUtcNow().AddMinutes(-30);

    public async Task InitializeAsync()
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
        services.AddSingleton(Options.Create(new StripeOptions { WebhookSecret = Secret }));
        services.AddSingleton(Options.Create(new BillingOptions()));
        services.AddScoped<StripeWebhookService>();
        services.AddScoped<StripeInboxService>();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        await using var db = _bed.Database.CrossTenant();
        (await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId)).LinkStripe("cus_alpha", "sub_alpha");
        db.PlanSegments.Add(new PlanSegment { TenantId = _bed.AlphaId, Tier = SubscriptionTier.Starter, Cycle = BillingCycle.Monthly, Charged = true, StartsAt = T0.AddDays(-40) });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _bed.DisposeAsync();
    }

    [Fact]
    public async Task ProcessAgain_AppliesAFailedEvent_OnceItsCustomerIsLinked()
    {
        var op = await _bed.MakeOperatorAsync();
        await ReceiveAsync(Event("evt_ok", "invoice.payment_failed", T0, Invoice("in_a", "cus_alpha", "open", subscription: "sub_alpha")));
        var betaInvoice = await AddInvoiceAsync(_bed.BetaId, "BETA-202610");
        _bed.Time.Advance(TimeSpan.FromMinutes(1));
        var failed = await ReceiveAsync(Event("evt_unknown", "invoice.finalized", T0.AddMinutes(1), Invoice("in_beta", "cus_beta", "open", localInvoiceId: betaInvoice)));
        Assert.Equal(WebhookReceiptOutcome.Failed, failed.Outcome);

        var all = await CallAsync(s => s.ListAsync(op, null, 0, 50, None));
        var onlyFailed = await CallAsync(s => s.ListAsync(op, WebhookOutcome.Failed, 0, 50, None));
        var before = await CallAsync(s => s.HealthAsync(op, None));

        Assert.Equal(["evt_unknown", "evt_ok"], all.Value.Rows.Select(r => r.StripeEventId));
        Assert.Equal((WebhookOutcome.Processed, "alpha", false), (all.Value.Rows[1].Outcome, all.Value.Rows[1].TenantSlug, all.Value.Rows[1].CanProcessAgain));
        var row = Assert.Single(onlyFailed.Value.Rows);
        Assert.Equal(("invoice.finalized", (string?)null, 1, true), (row.Type, row.TenantSlug, row.Attempts, row.CanProcessAgain));
        Assert.Contains("cus_beta", row.Error);
        Assert.Equal((1, true), (before.Value.Failed, before.Value.NeedsAttention));

        await using (var db = _bed.Database.CrossTenant())
        {
            (await db.Tenants.SingleAsync(t => t.Id == _bed.BetaId)).LinkStripe("cus_beta");
            await db.SaveChangesAsync();
        }
        var again = await CallAsync(s => s.ProcessAgainAsync(op, row.Id, None));

        Assert.Equal(WebhookReceiptOutcome.Processed, again.Value.Outcome);
        var after = await CallAsync(s => s.ListAsync(op, WebhookOutcome.Processed, 0, 50, None));
        var processed = after.Value.Rows.Single(r => r.StripeEventId == "evt_unknown");
        Assert.Equal(("beta", 2, (string?)null), (processed.TenantSlug, processed.Attempts, processed.Error));
        Assert.Empty((await CallAsync(s => s.ListAsync(op, WebhookOutcome.Failed, 0, 50, None))).Value.Rows);
        Assert.False((await CallAsync(s => s.HealthAsync(op, None))).Value.NeedsAttention);
    }

    [Fact]
    public async Task Health_WarnsOfAnUnexpectedApiVersion_OfRecentEventsOnly()
    {
        var op = await _bed.MakeOperatorAsync();
        await ReceiveAsync(Event("evt_old_api", "invoice.paid", T0, Invoice("in_v", "cus_alpha", "paid", subscription: "sub_alpha"), apiVersion: "2020-08-27"));
        await ReceiveAsync(Event("evt_current", "invoice.upcoming", T0, Invoice("in_w", "cus_alpha", "open", subscription: "sub_alpha")));

        var now = await CallAsync(s => s.HealthAsync(op, None));
        _bed.Time.Advance(StripeInboxService.ApiVersionWindow + TimeSpan.FromHours(1));
        var later = await CallAsync(s => s.HealthAsync(op, None));

        Assert.Equal((0, true), (now.Value.Failed, now.Value.NeedsAttention));
        Assert.Equal(new Dictionary<string, int> { ["2020-08-27"] = 1 }, now.Value.UnexpectedApiVersions);
        Assert.Equal(Stripe.StripeConfiguration.ApiVersion, now.Value.ExpectedApiVersion);
        Assert.False(later.Value.NeedsAttention);
    }

    [Fact]
    public async Task Payload_IsPrettyPrinted()
    {
        var op = await _bed.MakeOperatorAsync();
        var receipt = await ReceiveAsync(Event("evt_payload", "invoice.paid", T0, Invoice("in_p", "cus_alpha", "paid", subscription: "sub_alpha")));

        var payload = await CallAsync(s => s.PayloadAsync(op, receipt.InboxId, None));
        var unknown = await CallAsync(s => s.PayloadAsync(op, Guid.NewGuid(), None));

        Assert.Contains("\"id\": \"evt_payload\"", payload.Value);
        Assert.Contains("\n  ", payload.Value);
        Assert.Equal(ErrorCodes.NotFound, unknown.Error?.Code);
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("beta-owner")]
    [InlineData("outsider")]
    public async Task EveryMethod_IsForbidden_ToAnyoneButAnOperator(string user)
    {
        var receipt = await ReceiveAsync(Event("evt_x", "invoice.finalized", T0, Invoice("in_x", "cus_nobody", "open")));
        var actor = _bed.ActorOf(user);

        Assert.Equal(ErrorCodes.Forbidden, (await CallAsync(s => s.ListAsync(actor, null, 0, 10, None))).Error?.Code);
        Assert.Equal(ErrorCodes.Forbidden, (await CallAsync(s => s.PayloadAsync(actor, receipt.InboxId, None))).Error?.Code);
        Assert.Equal(ErrorCodes.Forbidden, (await CallAsync(s => s.HealthAsync(actor, None))).Error?.Code);
        Assert.Equal(ErrorCodes.Forbidden, (await CallAsync(s => s.ProcessAgainAsync(actor, receipt.InboxId, None))).Error?.Code);
        await using var db = _bed.Database.CrossTenant();
        Assert.Equal(1, (await db.StripeWebhookEvents.SingleAsync()).Attempts);
    }

    private async Task<StripeWebhookReceipt> ReceiveAsync(string payload)
    {
        var result = await CallAsync(w => w.ReceiveAsync(payload, Sign(payload, _bed.Time.GetUtcNow()), None));
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    // One DI scope per call, as one request has; the scope works in alpha, which must not narrow what an operator sees.
    private async Task<T> CallAsync<T>(Func<StripeInboxService, Task<T>> call)
    {
        await using var scope = _services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(_bed.AlphaId);
        return await call(scope.ServiceProvider.GetRequiredService<StripeInboxService>());
    }

    private async Task<T> CallAsync<T>(Func<StripeWebhookService, Task<T>> call)
    {
        await using var scope = _services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<StripeWebhookService>());
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
}
