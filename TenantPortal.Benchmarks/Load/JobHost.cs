using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TenantPortal.Data;
using TenantPortal.Data.Options;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The portal's job services in process over a load database: the data layer registered exactly as the portal does
/// (<see cref="DependencyInjection.AddDataServices"/>), the local ledger, default billing options, a fixed clock and mail that
/// is counted, not sent (<see cref="LoadMail"/>).
/// </summary>
public static class JobHost
{
    /// <summary>
    /// A service provider whose jobs work on <paramref name="database"/> at <paramref name="now"/>; <paramref name="settings"/>
    /// are further configuration keys (e.g. <c>Metering:QuotaCache=Redis</c> and <c>Redis:Configuration</c>).
    /// </summary>
    public static ServiceProvider Build(LoadDatabase database, DateTimeOffset now, IReadOnlyDictionary<string, string>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{DatabaseOptions.ConnectionStringName}"] = database.ConnectionString,
            [$"{DatabaseOptions.SectionName}:Provider"] = database.Provider == LoadProvider.PostgreSql ? "PostgreSql" : "Sqlite",
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddDataServices();
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.Services.AddSingleton<TimeProvider>(new FixedClock(now));
        builder.Services.AddSingleton(Options.Create(new BillingOptions()));
        builder.Services.AddSingleton(Options.Create(new StripeOptions()));
        // Mail and links are the Web layer's: the jobs' notices are composed and counted here, not sent.
        var mail = new LoadMail();
        builder.Services.AddSingleton<TenantPortal.Core.Notifications.IMailSender>(mail);
        builder.Services.AddSingleton<TenantPortal.Core.Common.IPortalAddresses>(mail);
        return builder.Services.BuildServiceProvider();
    }

    /// <summary>Runs <paramref name="work"/> with a service of a fresh scope, as a job invocation gets one.</summary>
    public static async Task<TResult> RunAsync<TService, TResult>(this IServiceProvider services, Func<TService, Task<TResult>> work)
        where TService : notnull
    {
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
