using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TenantPortal.Data;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// The usage commit barrier is reached one way: <c>AddDataServices</c> registers the provider's (one per process, next to
/// the provider's stores), and the services and stores that need it take it in their constructor. Checked without
/// opening a connection.
/// </summary>
public class UsageCommitBarrierRegistrationTests
{
    public static TheoryData<string, string, Type, bool, Type> Providers() => new()
    {
        { "Sqlite", "Data Source=:memory:", typeof(SqliteUsageCommitBarrier), true, typeof(SqliteUsageEventStore) },
        { "SqlServer", "Server=offline.invalid;Database=TenantPortal;Integrated Security=True;TrustServerCertificate=True",
            typeof(SqlServerUsageCommitBarrier), false, typeof(SqlServerUsageEventStore) },
        { "PostgreSql", TestServers.PostgreSql + ";Database=never_opened", typeof(PostgreSqlUsageCommitBarrier), false, typeof(PostgreSqlUsageEventStore) },
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AddDataServices_RegistersTheProvidersBarrier_ForEveryServiceThatNeedsIt(string provider, string connectionString,
        Type barrierType, bool commitsInIdOrder, Type eventStoreType)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Portal"] = connectionString,
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddDataServices();
        await using var services = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using var first = services.CreateAsyncScope();
        await using var second = services.CreateAsyncScope();

        var barrier = first.ServiceProvider.GetRequiredService<IUsageCommitBarrier>();

        Assert.IsType(barrierType, barrier);
        Assert.Equal(commitsInIdOrder, barrier.CommitsInIdOrder);
        Assert.Same(barrier, second.ServiceProvider.GetRequiredService<IUsageCommitBarrier>());
        Assert.IsType(eventStoreType, first.ServiceProvider.GetRequiredService<IUsageEventStore>());
        Assert.NotNull(first.ServiceProvider.GetRequiredService<MeteringRollupService>());
        Assert.NotNull(first.ServiceProvider.GetRequiredService<QuotaService>());
    }
}
