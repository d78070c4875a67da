using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Jobs;

namespace TenantPortal.Tests.Web.Deployment;

/// <summary>
/// <c>Database:AutoMigrate=true</c> on a server that has no portal database yet: the start migrates before anything
/// touches the database (the job storage and its schema, the recurring jobs, the operator, the Data Protection keys),
/// so the portal creates the database, migrates it, installs Hangfire's schema, registers its jobs and serves.
/// </summary>
public class AutoMigrateStartTests
{
    [Fact]
    public async Task ThePortal_WithAutoMigrate_OnAServerWithoutItsDatabase_MigratesFirst_ThenRegistersItsJobs_AndIsReady()
    {
        var name = $"tp_test_automigrate_{Guid.NewGuid():N}";
        // The server's superuser, as a deployment login that may create the database.
        var connectionString = new NpgsqlConnectionStringBuilder(TestServers.PostgreSql) { Database = name, Pooling = false }.ToString();
        var directory = Directory.CreateTempSubdirectory("tenantportal-automigrate-").FullName;
        try
        {
            await using (var portal = await PortalProcess.StartAsync(directory, new Dictionary<string, string>
            {
                ["Database:Provider"] = "PostgreSql",
                ["Database:AutoMigrate"] = "true",
                ["ConnectionStrings:Portal"] = connectionString,
                ["Demo:Seed"] = "false",
                ["Operator:Password"] = PortalAppFactory.OperatorPassword,
                ["Email:PickupDirectory"] = Path.Combine(directory, "mail"),
                ["Logging:LogLevel:Default"] = "Warning",
            }, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" }))
            {
                using var client = new HttpClient { BaseAddress = portal.Address };
                using var ready = await client.GetAsync("/health/ready", TestTimeouts.Token());
                Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
            }

            await using (var db = new PostgreSqlPortalDbContext(
                new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql(connectionString).Options, new TenantContext()))
            {
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
                Assert.Single(await db.Users.IgnoreQueryFilters().Where(u => u.Email == PortalAppFactory.OperatorEmail).ToListAsync());
            }
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var jobs = new NpgsqlCommand("SELECT value FROM hangfire.set WHERE key = 'recurring-jobs'", connection);
            var registered = new List<string>();
            await using (var reader = await jobs.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                    registered.Add(reader.GetString(0));
            }
            Assert.Contains(MeteringRollupJob.Id, registered);
            Assert.Contains(MonthlyInvoicingJob.Id, registered);
        }
        finally
        {
            await using (var server = await PostgreSqlTestDatabase.OpenServerAsync())
            await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", server))
                await drop.ExecuteNonQueryAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
