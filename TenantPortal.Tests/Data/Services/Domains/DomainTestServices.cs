using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Notifications;
using TenantPortal.Data;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Domains;
using TenantPortal.Data.Services.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services.Domains;

/// <summary>
/// The domain services as <see cref="DomainServiceRegistration.AddDomainServices"/> registers them, over a test bed's
/// database, clock and mail, asking the test's <see cref="LocalDnsResponder"/> (<c>Tenancy:DnsServer</c>), with a routing
/// observer that records the hosts it is told about.
/// </summary>
public sealed class DomainTestServices : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public DomainTestServices(TenancyTestBed bed, LocalDnsResponder dns)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tenancy:DnsServer"] = dns.Server,
            // Short: the timeout case waits for it (the responder drops the query).
            ["Tenancy:DnsTimeoutMilliseconds"] = "300",
            ["Tenancy:DnsRetries"] = "1",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(bed.Time);
        services.AddSingleton<IMailSender>(bed.Mail);
        services.AddSingleton<TenantPortal.Core.Common.IPortalAddresses>(bed.Addresses);
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<MemberProvisioner>();
        services.AddSingleton<TenantJobRunner>();
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<IDbContextFactory<PortalDbContext>>(sp => new TestContextFactory(bed.Database, sp.GetRequiredService<TenantContext>()));
        services.AddSingleton<IDomainRoutingObserver>(Routing);
        services.AddDomainServices();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    /// <summary>The hosts the services said may route elsewhere now.</summary>
    public RecordingRoutingObserver Routing { get; } = new();

    /// <summary>Runs <paramref name="work"/> with a service of a fresh scope, working for <paramref name="tenantId"/> (or none).</summary>
    public async Task<TResult> RunAsync<TService, TResult>(Guid? tenantId, Func<TService, Task<TResult>> work) where TService : notnull
    {
        await using var scope = _services.CreateAsyncScope();
        if (tenantId is { } id)
            scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(id);
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    public sealed class RecordingRoutingObserver : IDomainRoutingObserver
    {
        private readonly List<string> _hosts = [];

        public IReadOnlyList<string> Hosts
        {
            get { lock (_hosts) return _hosts.ToList(); }
        }

        public void HostChanged(string host)
        {
            lock (_hosts)
                _hosts.Add(host);
        }
    }
}
