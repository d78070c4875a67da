using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Startup;

namespace TenantPortal.Tests.Web.Deployment;

/// <summary>
/// <c>--migrate-only</c> installs the job storage's schema after the migrations, through the one installer
/// <c>AddJobs</c> registers for <c>Hangfire:Storage</c>: Hangfire's SQL Server script, Hangfire.PostgreSql's installer, none
/// in memory. Checked without opening a connection (and without building Hangfire's process-wide configuration).
/// </summary>
public class JobSchemaInstallerTests
{
    public static TheoryData<string, string, Type?> Storages() => new()
    {
        { "Sqlite", "Data Source=:memory:", null },
        { "SqlServer", "Server=offline.invalid;Database=TenantPortal;Integrated Security=True;TrustServerCertificate=True", typeof(HangfireSqlServerSchemaInstaller) },
        { "PostgreSql", TestServers.PostgreSql + ";Database=never_opened", typeof(HangfirePostgreSqlSchemaInstaller) },
    };

    [Theory]
    [MemberData(nameof(Storages))]
    public void AddJobs_RegistersTheStoragesSchemaInstaller(string provider, string connectionString, Type? installer)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Portal"] = connectionString,
        });
        builder.AddJobs();
        using var services = builder.Services.BuildServiceProvider();

        var registered = services.GetServices<IJobSchemaInstaller>().ToList();

        if (installer is null)
            Assert.Empty(registered);
        else
            Assert.IsType(installer, Assert.Single(registered));
    }
}
