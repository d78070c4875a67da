using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Components;

/// <summary>
/// The tenant test context plus the usage services, a fake clock at <see cref="Now"/> (10 June 2026, noon UTC: day 10 of
/// a 30-day period) and an interactive renderer, so that the panels' live refresh runs.
/// </summary>
public abstract class UsageComponentTestContext : TenantComponentTestContext
{
    protected static readonly DateTimeOffset Now = new(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);

    private int _eventSequence;

    protected FakeTimeProvider Clock { get; } = new(Now);

    protected UsageComponentTestContext()
    {
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddScoped<UsageReportService>();
        Services.AddScoped<UsageHistoryService>();
        Services.AddScoped<ApiRefusalService>();
        Services.AddScoped<TenantOverviewService>();
        // The quota banner on Overview and Usage: the billing state, and "Ask an owner".
        Services.TryAddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddScoped<TenantPortal.Data.Services.Billing.BillingStatusService>();
        Services.AddScoped<TenantPortal.Data.Services.Notifications.OwnerAskService>();
        // The Usage tab's credit summary.
        Services.TryAddSingleton<TenantPortal.Data.Services.Billing.IPaymentGateway>(new TenantPortal.Data.Services.Billing.LedgerGateway());
        Services.TryAddScoped<TenantPortal.Data.Services.Billing.BillingNotifier>();
        TenantPortal.Data.Services.Billing.Credits.CreditServiceRegistration.AddCreditServices(Services);
        TenantPortal.Data.Services.Entitlements.EntitlementServiceExtensions.AddEntitlements(Services, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), TenantPortal.Data.Options.QuotaCacheMode.Local);
    }

    /// <summary>Signs in the user with the role on an interactive (server) renderer, so that live refresh runs.</summary>
    protected TenantAccess SignInInteractivelyAs(TenantRole role)
    {
        // After SignInAs: the renderer info makes the context build its service provider.
        var access = SignInAs(role);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return access;
    }

    /// <summary>Stores one usage event of the tenant (as ingestion would).</summary>
    protected Task ReportAsync(UsageMetric metric, decimal quantity, DateTimeOffset? at = null) =>
        ReportManyAsync((metric, quantity, at ?? Now.AddHours(-1)));

    /// <summary>Stores usage events of the tenant.</summary>
    protected async Task ReportManyAsync(params (UsageMetric Metric, decimal Quantity, DateTimeOffset At)[] events)
    {
        await using var db = Database.ForTenant(Tenant.Id);
        foreach (var (metric, quantity, at) in events)
        {
            db.UsageEvents.Add(new UsageEvent
            {
                TenantId = Tenant.Id, ClientEventId = $"evt-{Interlocked.Increment(ref _eventSequence)}", Metric = metric,
                Quantity = quantity, Timestamp = at, ReceivedAt = at,
            });
        }
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Gives the tenant another plan and status, reached through the tenant's transitions: a trial of the tier running
    /// until <paramref name="trialEndsAt"/>, or the tier without a subscription (an operator's grant).
    /// </summary>
    protected async Task SetPlanAsync(SubscriptionTier tier, TenantStatus status = TenantStatus.Active, DateTimeOffset? trialEndsAt = null)
    {
        var builder = new TenantBuilder().OnPlan(tier).WithStatus(status).CreatedAt(Tenant.CreatedAt).At(Now).Unsubscribed();
        if (trialEndsAt is { } end)
            builder.WithTrialEndingAt(end);
        await using var db = Database.CrossTenant();
        await TenantLifecycleCopy.CopyAsync(db, Tenant.Id, builder.Build());
    }
}
