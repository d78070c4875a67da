using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;

namespace TenantPortal.Tests.Web.Components;

/// <summary>
/// The usage test context plus the real billing services on the local ledger. The tenant is a Starter tenant without a
/// paid subscription until <see cref="SubscribeAsync"/>; the clock stands at 10 June 2026, noon UTC.
/// </summary>
public abstract class BillingComponentTestContext : UsageComponentTestContext
{
    protected BillingComponentTestContext()
    {
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new BillingOptions()));
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddSingleton<IPaymentGateway, LedgerGateway>();
        Services.AddScoped<BillingService>();
        Services.AddScoped<InvoiceService>();
        Services.AddScoped<BillingStatusService>();
    }

    /// <summary>The actor of the user with a role (as the Billing tab hands it to the dialogs).</summary>
    protected async Task<Actor> ActorOfAsync(TenantRole role)
    {
        await using var db = Database.CrossTenant();
        var user = await db.Users.SingleAsync(u => u.Email == EmailOf(role));
        return new Actor(user.Id, EmailOf(role));
    }

    /// <summary>Makes the tenant a paying subscriber of its tier since 1 June, renewing on 1 July.</summary>
    protected Task SubscribeAsync() =>
        UpdateTenantAsync(t => Assert.True(t.Subscribe(t.Tier, BillingCycle.Monthly, Now.AddDays(-9).AddHours(-12)).IsSuccess));

    /// <summary>Moves the stored tenant along one of its transitions (the test asserts that it is allowed).</summary>
    protected async Task UpdateTenantAsync(Action<Tenant> transition)
    {
        await using var db = Database.CrossTenant();
        var tenant = await db.Tenants.SingleAsync(t => t.Id == Tenant.Id);
        transition(tenant);
        await db.SaveChangesAsync();
    }

    /// <summary>The tenant as stored now.</summary>
    protected async Task<Tenant> StoredTenantAsync()
    {
        await using var db = Database.CrossTenant();
        return await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == Tenant.Id);
    }
}
