using Microsoft.Extensions.Configuration;
using TenantPortal.Data.Options;
using TenantPortal.Web.Options;

namespace TenantPortal.Tests.Web;

public class OptionsReadingTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Database_DefaultsToSqliteWithAutoMigrate_AndTheAppDataFile()
    {
        var options = DatabaseOptions.Read(Config());

        Assert.Equal(DatabaseProvider.Sqlite, options.Provider);
        Assert.True(options.AutoMigrate);
        Assert.Equal(DatabaseOptions.DefaultSqliteConnectionString, options.ConnectionString);
    }

    [Fact]
    public void Database_OnSqlServer_DoesNotAutoMigrate_ByDefault()
    {
        var options = DatabaseOptions.Read(Config(("Database:Provider", "SqlServer"), ("ConnectionStrings:Portal", "Server=x;Database=y")));

        Assert.Equal(DatabaseProvider.SqlServer, options.Provider);
        Assert.False(options.AutoMigrate);
    }

    [Fact]
    public void Database_OnSqlServer_RequiresAConnectionString()
    {
        var error = Assert.Throws<InvalidSettingException>(() => DatabaseOptions.Read(Config(("Database:Provider", "SqlServer"))));

        Assert.Equal("ConnectionStrings:Portal", error.Key);
    }

    [Theory]
    [InlineData("Oracle", "Database:Provider")]
    [InlineData("3", "Database:Provider")]
    public void Database_RefusesAnUnknownProvider_NamingTheKey(string provider, string key)
    {
        var error = Assert.Throws<InvalidSettingException>(() => DatabaseOptions.Read(Config(("Database:Provider", provider))));

        Assert.Equal(key, error.Key);
        Assert.Contains(provider, error.Message);
    }

    [Fact]
    public void Database_RefusesANonBooleanAutoMigrate()
    {
        Assert.Equal("Database:AutoMigrate", Assert.Throws<InvalidSettingException>(() => DatabaseOptions.Read(Config(("Database:AutoMigrate", "sometimes")))).Key);
    }

    [Fact]
    public void Hangfire_FollowsTheDatabaseProvider_ByDefault()
    {
        var sqlite = DatabaseOptions.Read(Config());
        var sqlServer = DatabaseOptions.Read(Config(("Database:Provider", "SqlServer"), ("ConnectionStrings:Portal", "Server=x")));

        Assert.Equal(JobStorageKind.InMemory, HangfireOptions.Read(Config(), sqlite).Storage);
        Assert.Equal(JobStorageKind.SqlServer, HangfireOptions.Read(Config(), sqlServer).Storage);
    }

    [Fact]
    public void Hangfire_RefusesSqlServerStorage_OnSqlite()
    {
        var error = Assert.Throws<InvalidSettingException>(() => HangfireOptions.Read(Config(("Hangfire:Storage", "SqlServer")), DatabaseOptions.Read(Config())));

        Assert.Equal("Hangfire:Storage", error.Key);
    }
}
