using Hangfire.SqlServer;
using Microsoft.Extensions.Configuration;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using TenantPortal.Data.Options;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Startup;

namespace TenantPortal.Tests.Web;

/// <summary>
/// Hangfire's SQL Server storage: its schema is installed by <c>--migrate-only</c> as the deployment login; the portal's
/// login has no DDL rights, so an instance prepares the schema only where it migrates at start-up (<c>Database:AutoMigrate</c>).
/// </summary>
public class HangfireSqlServerStorageTests
{
    private const string Offline = "Server=offline.invalid;Database=TenantPortal;User Id=portal;Password=x;Connect Timeout=1;TrustServerCertificate=True";

    private static DatabaseOptions SqlServer(string? autoMigrate) => DatabaseOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(
        new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["Database:AutoMigrate"] = autoMigrate,
            ["ConnectionStrings:Portal"] = Offline,
        }).Build());

    [Fact]
    public void Create_GivesHangfire18sRecommendedSqlServerOptions()
    {
        var options = HangfireSqlServerStorage.Create(prepareSchema: false);

        Assert.Equal(TimeSpan.FromMinutes(5), options.CommandBatchMaxTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), options.SlidingInvisibilityTimeout);
        Assert.Equal(TimeSpan.Zero, options.QueuePollInterval);
        Assert.True(options.UseRecommendedIsolationLevel);
        Assert.True(options.DisableGlobalLocks);
        Assert.False(options.TryAutoDetectSchemaDependentOptions);
        Assert.Equal("hangfire", options.SchemaName);
    }

    [Theory]
    [InlineData(null, false)] // the default with SqlServer: the deployment step migrates
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void Options_PrepareTheSchema_OnlyWhereTheInstanceMigrates(string? autoMigrate, bool prepares)
    {
        var options = HangfireSqlServerStorage.Options(SqlServer(autoMigrate));

        Assert.Equal(prepares, options.PrepareSchemaIfNecessary);
        // A schema older than this version's would need detection; --migrate-only (or AutoMigrate) installs the newest.
        Assert.False(options.TryAutoDetectSchemaDependentOptions);
    }

    [Fact]
    public void TheStorage_AsThePortalMakesIt_DoesNotTouchTheServer_WithoutAutoMigrate()
    {
        // Preparing the schema would connect here (and need DDL rights); the server does not exist, so it would throw.
        var storage = new SqlServerStorage(Offline, HangfireSqlServerStorage.Options(SqlServer(null)));

        Assert.NotNull(storage.GetConnection());
    }

    [Fact]
    public async Task InstallSchemaAsync_RunsHangfiresInstallScript_ForSchemaHangfire_WithHeavyMigrations_AndNoTimeout()
    {
        var connection = new RecordingDbConnection();

        await HangfireSqlServerStorage.InstallSchemaAsync(connection, CancellationToken.None);

        var command = Assert.Single(connection.Commands);
        Assert.Equal(SqlServerObjectsInstaller.GetInstallScript("hangfire", enableHeavyMigrations: true), command.Text);
        Assert.Equal(0, command.Timeout);
        Assert.DoesNotContain("SET @DISABLE_HEAVY_MIGRATIONS = 1;", command.Text.Replace("--SET @DISABLE_HEAVY_MIGRATIONS = 1;", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var script = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(command.Text), out var errors);
        Assert.Empty(errors);
        Assert.Contains("[hangfire]", command.Text, StringComparison.Ordinal);
        Assert.NotNull(script);
    }
}
