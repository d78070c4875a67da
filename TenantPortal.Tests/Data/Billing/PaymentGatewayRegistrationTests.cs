using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Billing.Stripe;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>Which gateway the data layer registers: Stripe with a secret key, the local ledger without.</summary>
public sealed class PaymentGatewayRegistrationTests
{
    [Fact]
    public void AddDataServices_RegistersStripeGateway_WhenSecretKeyIsSet()
    {
        using var services = Build(new() { ["Stripe:SecretKey"] = "sk_test_registration", ["Stripe:ApiBase"] = "http://127.0.0.1:9" });

        Assert.IsType<StripePaymentGateway>(services.GetRequiredService<IPaymentGateway>());
    }

    [Fact]
    public void AddDataServices_RegistersLedgerGateway_WhenSecretKeyIsEmpty()
    {
        using var services = Build([]);

        Assert.IsType<LedgerGateway>(services.GetRequiredService<IPaymentGateway>());
    }

    [Fact]
    public void AddDataServices_RegistersOneGatewayInstance_ForTheLifeOfTheApp()
    {
        using var services = Build(new() { ["Stripe:SecretKey"] = "sk_test_registration" });

        Assert.Same(services.GetRequiredService<IPaymentGateway>(), services.GetRequiredService<IPaymentGateway>());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Database:ConnectionString"] = "Data Source=:memory:" });
        builder.Services.AddLogging();
        builder.Services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.SectionName);
        builder.AddDataServices();
        return builder.Services.BuildServiceProvider();
    }
}
