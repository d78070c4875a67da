using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Billing.Credits;
using TenantPortal.Data.Services.Billing.Webhooks;
using TenantPortal.Data.Services.Entitlements;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Data.Services.Notifications;
using TenantPortal.Data.Services.Operations;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// The services the recurring jobs use, registered as AddDataServices registers them, over a test bed's database, its
/// clock and its mail: one scope lists the tenants, a fresh scope works for each.
/// </summary>
public static class JobServices
{
    public static ServiceProvider Build(TenancyTestBed bed, IPaymentGateway? gateway = null, BillingOptions? billing = null, IInterceptor? interceptor = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(bed.Time);
        services.AddSingleton<IMailSender>(bed.Mail);
        services.AddSingleton<TenantPortal.Core.Common.IPortalAddresses>(bed.Addresses);
        services.AddSingleton(Options.Create(billing ?? new BillingOptions()));
        services.AddSingleton<IPaymentGateway>(gateway ?? new LedgerGateway());
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<TenantJobRunner>();
        services.AddSingleton(bed.CommitBarrier);
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<IDbContextFactory<PortalDbContext>>(sp =>
            new InterceptedContextFactory(bed.Database, sp.GetRequiredService<TenantContext>(), interceptor));
        services.AddScoped<UsageReportService>();
        services.AddScoped<QuotaService>();
        services.AddScoped<UsageHistoryService>();
        services.AddScoped<QuotaAlertService>();
        services.AddScoped<BillingNotifier>();
        services.AddScoped<BillingService>();
        services.AddScoped<TenantPortal.Data.Services.Budgets.SpendBudgetService>();
        services.AddScoped<InvoiceService>();
        services.AddScoped<InvoicingService>();
        services.AddScoped<CreditNoteIssuer>();
        services.AddScoped<CreditNoteService>();
        services.AddScoped<TenantPortal.Data.Services.Metering.Corrections.BackfillPreviewService>();
        services.AddSingleton<TenantPortal.Data.Services.Metering.Corrections.IUsageCorrectionObserver, CreditNoteCorrectionObserver>();
        // The bed's entitlement cache: a test's override is seen as the portal's own save would make it seen.
        services.AddSingleton(bed.EntitlementCache);
        services.AddEntitlements(new ConfigurationBuilder().Build(), QuotaCacheMode.None);
        services.AddCreditServices();
        services.AddScoped<SubscriptionRenewalService>();
        services.AddScoped<TrialExpiryService>();
        services.AddScoped<DunningService>();
        services.AddScoped<InvoiceSettlementService>();
        services.AddScoped<InvitationMailer>();
        services.AddScoped<TenantCreator>();
        services.AddScoped<OperatorTenantService>();
        // Stripe's webhooks, signed with the test secret (StripeEventBuilder.Sign).
        services.AddSingleton(Options.Create(new StripeOptions { WebhookSecret = Builders.StripeEventBuilder.Secret }));
        services.AddScoped<StripeWebhookService>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    /// <summary>Runs <paramref name="work"/> with a service of a fresh scope, optionally working for a tenant.</summary>
    public static async Task<TResult> RunAsync<TService, TResult>(this IServiceProvider services, Func<TService, Task<TResult>> work, Guid? tenantId = null)
        where TService : notnull
    {
        await using var scope = services.CreateAsyncScope();
        if (tenantId is { } id)
            scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(id);
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private sealed class InterceptedContextFactory(TestDatabase database, TenantContext tenant, IInterceptor? interceptor)
        : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => interceptor is null ? database.CreateContext(tenant) : database.CreateContext(tenant, interceptor);
    }
}
