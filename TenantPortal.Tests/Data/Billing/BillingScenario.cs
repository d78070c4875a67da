using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Billing.Webhooks;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>
/// A test bed for billing: the tenancy bed (clock at 22 November 2026 12:00 UTC), the job services over it, and helpers
/// to add a tenant with its plan history (owned by the bed's "owner") and usage at chosen instants.
/// </summary>
public sealed class BillingScenario(DatabaseProvider provider) : IAsyncLifetime
{
    public static readonly DateTimeOffset October = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset November = October.AddMonths(1);

    public TenancyTestBed Bed { get; } = TenancyTestBed.On(provider);
    public ServiceProvider Services { get; private set; } = default!;
    public IPaymentGateway? Gateway { get; init; }
    public BillingOptions Options { get; init; } = new();

    public async Task InitializeAsync()
    {
        await Bed.InitializeAsync();
        Services = JobServices.Build(Bed, Gateway, Options);
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await Bed.DisposeAsync();
    }

    /// <summary>
    /// Adds a tenant owned by the bed's owner, created on <paramref name="tier"/> at <paramref name="since"/> and brought to
    /// <paramref name="status"/> by its own transitions (see <see cref="TenantBuilder"/>): a paid tier subscribed at
    /// <paramref name="since"/> unless <paramref name="charged"/> is false, its periods renewed up to now; a trial running
    /// until <paramref name="trialEndsAt"/> (default: 14 days from now); a suspension now, by an operator unless
    /// <paramref name="suspendedFor"/> says otherwise. Its plan history holds what the transitions returned.
    /// </summary>
    public async Task<Tenant> AddTenantAsync(string slug, SubscriptionTier tier, DateTimeOffset since, TenantStatus status = TenantStatus.Active,
        BillingCycle cycle = BillingCycle.Monthly, bool charged = true, DateTimeOffset? trialEndsAt = null, SuspensionReason? suspendedFor = null)
    {
        var now = Bed.Time.GetUtcNow();
        var builder = new TenantBuilder().WithSlug(slug).OnPlan(tier, cycle).WithStatus(status).CreatedAt(since).At(now)
            .WithTrialEndingAt(trialEndsAt ?? now.AddDays(14));
        if (suspendedFor is { } reason)
            builder.SuspendedFor(reason);
        if (!charged)
            builder.Unsubscribed();
        var tenant = builder.Build();
        tenant.RenewPeriod(now);
        await using (var db = Bed.Database.CrossTenant())
        {
            db.Tenants.Add(tenant);
            db.Members.Add(new TenantMember { TenantId = tenant.Id, UserId = Bed.Users["owner"].Id, Role = TenantRole.Owner, JoinedAt = since });
            await db.SaveChangesAsync();
        }
        foreach (var change in builder.PlanHistory)
        {
            await using var db = Bed.Database.CrossTenant();
            await PlanHistory.RecordAsync(db, tenant.Id, change, CancellationToken.None);
            await db.SaveChangesAsync();
        }
        return tenant;
    }

    /// <summary>Stores usage events as ingestion would (past the acceptance window too: tests write history directly).</summary>
    public async Task UseAsync(Guid tenantId, UsageMetric metric, decimal quantity, DateTimeOffset at, DateTimeOffset? receivedAt = null)
    {
        await using var db = Bed.Database.CrossTenant();
        db.UsageEvents.Add(new UsageEvent
        {
            TenantId = tenantId, ClientEventId = Guid.NewGuid().ToString("N"), Metric = metric, Quantity = quantity,
            Timestamp = at, ReceivedAt = receivedAt ?? at,
        });
        await db.SaveChangesAsync();
    }

    public Task<InvoicingSummary> InvoiceAsync() => Services.RunAsync<InvoicingService, InvoicingSummary>(s => s.RunAsync(CancellationToken.None));

    public async Task<List<Invoice>> InvoicesAsync(Guid tenantId)
    {
        await using var db = Bed.Database.CrossTenant();
        return await db.Invoices.Include(i => i.Lines).Where(i => i.TenantId == tenantId).OrderBy(i => i.PeriodStart).ToListAsync();
    }

    public async Task<Tenant> TenantAsync(Guid tenantId)
    {
        await using var db = Bed.Database.CrossTenant();
        return await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId);
    }

    /// <summary>Delivers a Stripe event, signed now, to the webhook service as the endpoint would.</summary>
    public async Task DeliverAsync(string payload)
    {
        await using var scope = Services.CreateAsyncScope();
        var received = await scope.ServiceProvider.GetRequiredService<StripeWebhookService>()
            .ReceiveAsync(payload, StripeEventBuilder.Sign(payload, Bed.Time.GetUtcNow()), CancellationToken.None);
        Assert.True(received.IsSuccess, received.Error?.Message);
    }

    /// <summary>Runs the subscription-renewals job.</summary>
    public Task<int> RenewAsync() => Services.RunAsync<SubscriptionRenewalService, int>(s => s.RunAsync(CancellationToken.None));

    /// <summary>A billing service working for <paramref name="tenantId"/>, in a scope of its own.</summary>
    public Task<T> BillingAsync<T>(Guid tenantId, Func<BillingService, Task<T>> work) => Services.RunAsync(work, tenantId);

    /// <summary>The bed's "outsider", made an operator (the Operator role is created when missing).</summary>
    public async Task<Actor> OperatorAsync()
    {
        await using var db = Bed.Database.CrossTenant();
        var user = Bed.Users["outsider"];
        if (!await db.UserRoles.AnyAsync(r => r.UserId == user.Id))
        {
            var role = await db.Roles.SingleOrDefaultAsync(r => r.Name == PortalRoles.Operator);
            if (role is null)
            {
                role = new IdentityRole(PortalRoles.Operator) { NormalizedName = PortalRoles.Operator.ToUpperInvariant() };
                db.Roles.Add(role);
            }
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role.Id });
            await db.SaveChangesAsync();
        }
        return Bed.ActorOf("outsider");
    }
}
