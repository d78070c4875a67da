using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Redis;

/// <summary>
/// The one Redis connection of the process. Each layer that uses Redis adds it (the data layer for
/// <c>Metering:QuotaCache=Redis</c>, the web layer for <c>RateLimiting:Store=Redis</c> and the health check); it is
/// registered once whoever adds it first, and checked when the host starts (<see cref="RedisConnectionCheck"/>).
/// </summary>
public static class RedisServiceExtensions
{
    /// <summary>Registers the shared <see cref="IConnectionMultiplexer"/> for <paramref name="options"/> (configured).</summary>
    public static IServiceCollection AddRedisConnection(this IServiceCollection services, RedisOptions options)
    {
        options.Require("Redis");
        services.TryAddSingleton(options);
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
            ConnectionMultiplexer.Connect(sp.GetRequiredService<RedisOptions>().ToClientOptions()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisConnectionCheck>());
        return services;
    }
}
