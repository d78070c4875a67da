using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Arranges billing and usage rows of a throwaway tenant directly in the portal's database, for the API tests.</summary>
public static class ApiBilling
{
    /// <summary>Adds rollup rows to the tenant.</summary>
    public static async Task AddRollupsAsync(PortalAppFactory portal, string slug, params (UsageMetric Metric, RollupGranularity Granularity, DateTimeOffset Start, decimal Quantity)[] rows)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
        foreach (var (metric, granularity, start, quantity) in rows)
        {
            var gauge = UsageMetrics.Kind(metric) == MetricKind.Gauge;
            db.UsageRollups.Add(new UsageRollup
            {
                TenantId = tenantId, Metric = metric, Granularity = granularity, PeriodStart = start, Sum = quantity, EventCount = 1,
                LastValue = gauge ? quantity : null, LastValueAt = gauge ? start : null, UpdatedAt = DateTimeOffset.UtcNow,
            });
        }
        await db.SaveChangesAsync();
    }

    /// <summary>Adds usage events to the tenant (as if reported and stored).</summary>
    public static async Task AddEventsAsync(PortalAppFactory portal, string slug, params (string Id, UsageMetric Metric, decimal Quantity, DateTimeOffset At)[] events)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
        foreach (var (id, metric, quantity, at) in events)
            db.UsageEvents.Add(new UsageEvent { TenantId = tenantId, ClientEventId = id, Metric = metric, Quantity = quantity, Timestamp = at, ReceivedAt = at });
        await db.SaveChangesAsync();
    }

    /// <summary>Issues the tenant's invoice of a whole month on its plan with that usage (as the invoicing job would); returns its number.</summary>
    public static async Task<string> AddInvoiceAsync(PortalAppFactory portal, string slug, DateTimeOffset periodStart, PeriodUsage usage)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug);
        var invoice = InvoiceComposer.Compose(tenant, periodStart, usage, periodStart.AddMonths(1).AddDays(1));
        db.Invoices.Add(invoice);
        await db.SaveChangesAsync();
        return invoice.Number;
    }

    /// <summary>The tenant as stored.</summary>
    public static async Task<Tenant> TenantAsync(PortalAppFactory portal, string slug)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check");
        return await db.Tenants.AsNoTracking().SingleAsync(t => t.Slug == slug);
    }

    /// <summary>The tenant's payment is overdue and dunning suspends it: Suspended for non-payment, through its transitions.</summary>
    public static async Task SuspendForNonPaymentAsync(PortalAppFactory portal, string slug)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug);
        var now = DateTimeOffset.UtcNow;
        Assert.True(tenant.MarkPastDue(now.AddDays(-30), now).IsSuccess);
        Assert.True(tenant.SuspendForNonPayment(TimeSpan.FromDays(7), now).IsSuccess);
        tenant.ConcurrencyStamp = Guid.NewGuid();
        await db.SaveChangesAsync();
    }
}
