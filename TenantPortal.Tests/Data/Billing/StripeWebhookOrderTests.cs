using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Billing;
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
/// Stripe delivers a subscription's events in any order. Every permutation of one subscription's life is delivered,
/// signed, to the webhook service (one SQLite copy per permutation, no HTTP) and must end in one state: for a tenant on
/// its trial, and for a returning customer whose earlier subscription ended. No retry job runs: what has to wait for
/// its subscription is applied once the subscription is known.
/// </summary>
public sealed class StripeWebhookOrderTests(TenancyTestBed template) : IClassFixture<TenancyTestBed>
{
    private const string NewSubscription = "sub_new";

    public enum Start
    {
        /// <summary>A Starter trial that has never been linked to Stripe.</summary>
        Trial,
        /// <summary>A customer whose earlier subscription (<c>sub_old</c>) ended ten days ago: Cancelled, on the same Stripe customer.</summary>
        Returning,
    }

    private DateTimeOffset Now => template.Time.GetUtcNow();

    // The new subscription's life, a few minutes before now: created on Starter, Checkout completed, its first invoice
    // paid, moved to Professional a minute later, and (in the first life) deleted a minute after that.
    private DateTimeOffset T => Now.AddHours(-1);

    [Theory]
    [InlineData(Start.Trial)]
    [InlineData(Start.Returning)]
    public async Task EveryOrder_OfASubscriptionThatIsDeleted_EndsCancelledOnIt(Start start)
    {
        var finals = await DeliverEveryOrderAsync(start, tenant =>
        [
            ("created", Event("evt_created", "customer.subscription.created", T, Subscription(NewSubscription, tenant.Customer, "active",
                "tenantportal_starter_monthly", T, T.AddMonths(1), tenant.Id))),
            ("checkout", Event("evt_checkout", "checkout.session.completed", T.AddSeconds(2),
                CheckoutSession("cs_new", tenant.Customer, NewSubscription, tenant.Id, "starter", "monthly"))),
            ("paid", Event("evt_paid", "invoice.paid", T.AddSeconds(3), Invoice("in_first", tenant.Customer, "paid", subscription: NewSubscription,
                paidAt: T.AddSeconds(3), subscriptionTenantId: tenant.Id))),
            ("updated", Event("evt_updated", "customer.subscription.updated", T.AddSeconds(60), Subscription(NewSubscription, tenant.Customer, "active",
                "tenantportal_professional_monthly", T, T.AddMonths(1), tenant.Id))),
            ("deleted", Event("evt_deleted", "customer.subscription.deleted", T.AddSeconds(120), Subscription(NewSubscription, tenant.Customer, "canceled",
                "tenantportal_professional_monthly", T, T.AddMonths(1), tenant.Id, endedAt: T.AddSeconds(120)))),
        ]);

        var expected = new Final(TenantStatus.Cancelled, SubscriptionTier.Professional, BillingCycle.Monthly, NewSubscription, false, null, null,
            T, T.AddSeconds(120), T.AddSeconds(120), (SubscriptionTier.Professional, BillingCycle.Monthly, false, T.AddSeconds(120)));
        AssertOneFinalState(expected, finals);
    }

    [Theory]
    [InlineData(Start.Trial)]
    [InlineData(Start.Returning)]
    public async Task EveryOrder_OfASubscriptionWhosePaymentFailsLater_EndsPastDueOnIt(Start start)
    {
        var finals = await DeliverEveryOrderAsync(start, tenant =>
        [
            ("created", Event("evt_created", "customer.subscription.created", T, Subscription(NewSubscription, tenant.Customer, "active",
                "tenantportal_starter_monthly", T, T.AddMonths(1), tenant.Id))),
            ("checkout", Event("evt_checkout", "checkout.session.completed", T.AddSeconds(2),
                CheckoutSession("cs_new", tenant.Customer, NewSubscription, tenant.Id, "starter", "monthly"))),
            ("paid", Event("evt_paid", "invoice.paid", T.AddSeconds(3), Invoice("in_first", tenant.Customer, "paid", subscription: NewSubscription,
                paidAt: T.AddSeconds(3), subscriptionTenantId: tenant.Id))),
            ("updated", Event("evt_updated", "customer.subscription.updated", T.AddSeconds(60), Subscription(NewSubscription, tenant.Customer, "active",
                "tenantportal_professional_monthly", T, T.AddMonths(1), tenant.Id))),
            ("failed", Event("evt_failed", "invoice.payment_failed", T.AddSeconds(90), Invoice("in_second", tenant.Customer, "open",
                subscription: NewSubscription, subscriptionTenantId: tenant.Id))),
        ]);

        var expected = new Final(TenantStatus.PastDue, SubscriptionTier.Professional, BillingCycle.Monthly, NewSubscription, false, null,
            T.AddSeconds(90), T, T.AddMonths(1), T.AddSeconds(60), (SubscriptionTier.Professional, BillingCycle.Monthly, true, null));
        AssertOneFinalState(expected, finals);
    }

    private static void AssertOneFinalState(Final expected, Dictionary<string, Final> finals)
    {
        Assert.Equal(120, finals.Count);
        var wrong = finals.Where(f => f.Value != expected).Select(f => $"{f.Key}: {f.Value}").ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of 120 orders end elsewhere than {expected}:{Environment.NewLine}{string.Join(Environment.NewLine, wrong.Take(10))}");
    }

    // Delivers every order of the events to its own copy of the database, starting from the tenant of `start`.
    private async Task<Dictionary<string, Final>> DeliverEveryOrderAsync(Start start, Func<(Guid Id, string Customer), (string Name, string Payload)[]> life)
    {
        var seeded = template.Clone();
        try
        {
            var tenant = await SeedAsync(seeded, start);
            var events = life(tenant);
            var finals = new Dictionary<string, Final>();
            foreach (var order in Permutations(events))
            {
                var bed = seeded.Clone();
                // One pooled connection per copy instead of a file opened for every context: 600 deliveries stay quick.
                var pooled = $"Data Source={((SqliteTestDatabase)bed.Database).Path};Pooling=True";
                try
                {
                    await using var services = BuildServices(bed, pooled);
                    foreach (var (_, payload) in order)
                    {
                        await using var scope = services.CreateAsyncScope();
                        var received = await scope.ServiceProvider.GetRequiredService<StripeWebhookService>()
                            .ReceiveAsync(payload, Sign(payload, bed.Time.GetUtcNow()), CancellationToken.None);
                        Assert.True(received.IsSuccess, received.Error?.Message);
                    }
                    finals[string.Join(" → ", order.Select(e => e.Name))] = await FinalAsync(bed, tenant.Id);
                }
                finally
                {
                    using (var connection = new SqliteConnection(pooled))
                        SqliteConnection.ClearPool(connection);
                    await bed.DisposeAsync();
                }
            }
            return finals;
        }
        finally
        {
            await seeded.DisposeAsync();
        }
    }

    private async Task<(Guid Id, string Customer)> SeedAsync(TenancyTestBed bed, Start start)
    {
        await using var db = bed.Database.CrossTenant();
        Tenant tenant;
        if (start == Start.Trial)
            tenant = new TenantBuilder().WithSlug("newcomer").WithStatus(TenantStatus.Trial).CreatedAt(Now.AddDays(-3)).Build();
        else
        {
            tenant = new TenantBuilder().WithSlug("returning").CreatedAt(Now.AddMonths(-3)).Build().LinkStripe("cus_returning", "sub_old");
            var ended = Now.AddDays(-10);
            Assert.True(tenant.EndProviderSubscription(new ProviderSubscription("sub_old", ProviderSubscriptionStatus.Ended) { EndedAt = ended }, ended, ended).IsSuccess);
            tenant.AdvanceStripeState(ended);
        }
        db.Tenants.Add(tenant);
        db.Members.Add(new TenantPortal.Core.Members.TenantMember
        {
            TenantId = tenant.Id, UserId = bed.Users["beta-owner"].Id, Role = TenantPortal.Core.Members.TenantRole.Owner, JoinedAt = tenant.CreatedAt,
        });
        db.PlanSegments.Add(new PlanSegment { TenantId = tenant.Id, Tier = tenant.Tier, Cycle = tenant.BillingCycle, Charged = false, StartsAt = tenant.CreatedAt });
        await db.SaveChangesAsync();
        return (tenant.Id, start == Start.Trial ? "cus_newcomer" : "cus_returning");
    }

    private static async Task<Final> FinalAsync(TenancyTestBed bed, Guid tenantId)
    {
        await using var db = bed.Database.CrossTenant();
        var t = await db.Tenants.AsNoTracking().SingleAsync(x => x.Id == tenantId);
        var open = await db.PlanSegments.AsNoTracking().SingleAsync(s => s.TenantId == tenantId && s.EndsAt == null);
        return new Final(t.Status, t.Tier, t.BillingCycle, t.StripeSubscriptionId, t.CancelAtPeriodEnd, t.SuspensionReason, t.PastDueSince,
            t.SubscriptionStartedAt, t.CurrentPeriodEndsAt, t.StripeStateAt,
            // The plan in force now; when it started is compared only where the life fixes it (the deletion).
            (open.Tier, open.Cycle, open.Charged, open.Charged ? null : open.StartsAt));
    }

    private static IEnumerable<T[]> Permutations<T>(T[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }
        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest))
                yield return [items[i], .. tail];
        }
    }

    // The webhook service as the web app builds it, on the bed's database and clock.
    private static ServiceProvider BuildServices(TenancyTestBed bed, string connectionString)
    {
        var options = new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(connectionString).AddInterceptors(new NoSync()).Options;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(bed.Time);
        services.AddSingleton<IMailSender>(bed.Mail);
        services.AddSingleton<TenantPortal.Core.Common.IPortalAddresses>(bed.Addresses);
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<IDbContextFactory<PortalDbContext>>(sp => new PooledContextFactory(options, sp.GetRequiredService<TenantContext>()));
        services.AddSingleton<AuditWriter>();
        services.AddScoped<BillingNotifier>();
        services.AddSingleton(Options.Create(new StripeOptions { WebhookSecret = Secret }));
        services.AddSingleton(Options.Create(new BillingOptions()));
        services.AddScoped<StripeWebhookService>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    // A throwaway copy need not survive a power cut: commits skip the disk flush.
    private sealed class NoSync : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
    {
        public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection,
            Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=OFF;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=OFF;";
            command.ExecuteNonQuery();
        }
    }

    private sealed class PooledContextFactory(DbContextOptions<SqlitePortalDbContext> options, TenantContext tenant) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => new SqlitePortalDbContext(options, tenant);
    }

    /// <summary>What must not depend on the order: the tenant's lifecycle fields and the plan in force now.</summary>
    private sealed record Final(
        TenantStatus Status, SubscriptionTier Tier, BillingCycle Cycle, string? SubscriptionId, bool CancelAtPeriodEnd, SuspensionReason? SuspensionReason,
        DateTimeOffset? PastDueSince, DateTimeOffset? SubscriptionStartedAt, DateTimeOffset? CurrentPeriodEndsAt, DateTimeOffset? StripeStateAt,
        (SubscriptionTier Tier, BillingCycle Cycle, bool Charged, DateTimeOffset? Since) PlanNow);
}
