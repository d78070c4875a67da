using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using TenantPortal.Data.Options;
using TenantPortal.Data.Redis;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Startup;

namespace TenantPortal.Tests.Data;

public class RedisOptionsTests
{
    private static RedisOptions Read(string? configuration) =>
        RedisOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(
            configuration is null ? [] : new Dictionary<string, string?> { ["Redis:Configuration"] = configuration }).Build());

    [Fact]
    public void Configuration_IsOptional()
    {
        Assert.False(Read(null).IsConfigured);
        Assert.False(Read("  ").IsConfigured);
    }

    [Theory]
    [InlineData("127.0.0.1:6379,nonsense=1")]
    [InlineData("127.0.0.1:6379,connectTimeout=soon")]
    [InlineData("abortConnect=false")]
    public void Configuration_ThatIsNotAConnectionString_IsRefused_NamingTheKey(string configuration)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(configuration));

        Assert.Equal("Redis:Configuration", error.Key);
        Assert.StartsWith("Invalid setting Redis:Configuration: ", error.Message);
    }

    [Fact]
    public void Configuration_OfAServer_IsKept()
    {
        var options = Read("127.0.0.1:6379,ssl=false,connectRetry=2");

        Assert.True(options.IsConfigured);
        Assert.False(options.ToClientOptions().AbortOnConnectFail);
    }

    [Fact]
    public async Task StartUp_WithAServerThatDoesNotAnswer_StopsWithOneLineNamingTheKey()
    {
        await using var server = await OwnRedisServer.StartNewAsync();
        var configuration = server.Configuration.Replace("connectTimeout=2000", "connectTimeout=500", StringComparison.Ordinal);
        await server.StopAsync(); // the port is free and nothing answers there
        var services = new ServiceCollection().AddRedisConnection(Read(configuration)).BuildServiceProvider();
        await using var _ = services;

        var error = await Record.ExceptionAsync(async () =>
        {
            foreach (var hosted in services.GetServices<IHostedService>())
                await hosted.StartAsync(CancellationToken.None);
        });

        Assert.True(StartupErrors.TryDescribe(error!, out var line));
        Assert.StartsWith("Invalid setting Redis:Configuration: no Redis server answers at 127.0.0.1:", line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public async Task StartUp_WithTheServerUp_Connects_AndTheConnectionIsRegisteredOnce()
    {
        var services = new ServiceCollection()
            .AddRedisConnection(Read(TestRedis.Configuration))
            .AddRedisConnection(Read(TestRedis.Configuration));

        await using var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
            await hosted.StartAsync(CancellationToken.None);

        Assert.Single(services, d => d.ServiceType == typeof(IConnectionMultiplexer));
        Assert.Single(provider.GetServices<IHostedService>());
        Assert.True(provider.GetRequiredService<IConnectionMultiplexer>().IsConnected);
    }
}
