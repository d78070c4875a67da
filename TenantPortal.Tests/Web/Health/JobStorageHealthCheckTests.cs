using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Health;
using TenantPortal.Web.Startup;

namespace TenantPortal.Tests.Web.Health;

/// <summary>
/// <c>/health/ready</c>'s job storage check runs on every probe of every instance: it asks the storage for one trivial
/// answer on one connection, never for the dashboard's statistics (several counting queries over the job tables).
/// </summary>
public class JobStorageHealthCheckTests
{
    private static Task<HealthCheckResult> ProbeAsync(JobStorage storage) =>
        new JobStorageHealthCheck(storage).CheckHealthAsync(new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("jobs", _ => new JobStorageHealthCheck(storage), null, ["ready"]),
        });

    [Fact]
    public async Task CheckHealthAsync_AsksOneConnectionForATrivialAnswer_AndNeverCountsTheJobs()
    {
        var storage = new CountingJobStorage(new InMemoryStorage());

        for (var probe = 0; probe < 5; probe++)
            Assert.Equal(HealthStatus.Healthy, (await ProbeAsync(storage)).Status);

        Assert.Equal(0, storage.MonitoringApiCalls);
        Assert.Equal(5, storage.ConnectionsOpened);
    }

    [Fact]
    public async Task CheckHealthAsync_IsHealthy_OnPostgreSqlStorage_WithoutCountingTheJobs()
    {
        var database = new PostgreSqlTestDatabase();
        await database.InitializeAsync();
        try
        {
            await HangfirePostgreSqlStorage.InstallSchemaAsync(database.OwnerConnectionString, CancellationToken.None);
            var storage = new CountingJobStorage(PostgreSqlStorage(database.OwnerConnectionString));

            var result = await ProbeAsync(storage);

            Assert.True(result.Status == HealthStatus.Healthy, result.Exception?.ToString());
            Assert.Equal(0, storage.MonitoringApiCalls);
            Assert.Equal(1, storage.ConnectionsOpened);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task CheckHealthAsync_IsUnhealthy_WhenTheStorageDoesNotAnswer()
    {
        var missing = new NpgsqlConnectionStringBuilder(TestServers.PostgreSql) { Database = $"tp_missing_{Guid.NewGuid():N}", Pooling = false }.ToString();

        var result = await ProbeAsync(PostgreSqlStorage(missing));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.NotNull(result.Exception);
    }

    private static PostgreSqlStorage PostgreSqlStorage(string connectionString) =>
        new(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, HangfirePostgreSqlStorage.Create(prepareSchema: false)),
            HangfirePostgreSqlStorage.Create(prepareSchema: false));

    /// <summary>A real storage, counting what the check asks of it.</summary>
    private sealed class CountingJobStorage(JobStorage inner) : JobStorage
    {
        public int MonitoringApiCalls { get; private set; }

        public int ConnectionsOpened { get; private set; }

        public override IMonitoringApi GetMonitoringApi()
        {
            MonitoringApiCalls++;
            return inner.GetMonitoringApi();
        }

        public override IStorageConnection GetConnection()
        {
            ConnectionsOpened++;
            return inner.GetConnection();
        }

        public override IStorageConnection GetReadOnlyConnection()
        {
            ConnectionsOpened++;
            return inner.GetReadOnlyConnection();
        }

        public override bool HasFeature(string featureId) => inner.HasFeature(featureId);
    }
}
