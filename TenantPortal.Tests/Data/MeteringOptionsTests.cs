using Microsoft.Extensions.Configuration;
using TenantPortal.Data.Options;

namespace TenantPortal.Tests.Data;

public class MeteringOptionsTests
{
    private static MeteringOptions Read(DatabaseProvider provider, string? quotaCache = null, string? redis = null)
    {
        var values = new Dictionary<string, string?>();
        if (quotaCache is not null)
            values["Metering:QuotaCache"] = quotaCache;
        if (redis is not null)
            values["Redis:Configuration"] = redis;
        return MeteringOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), provider);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, QuotaCacheMode.Local)]
    [InlineData(DatabaseProvider.SqlServer, QuotaCacheMode.None)]
    [InlineData(DatabaseProvider.PostgreSql, QuotaCacheMode.None)]
    public void QuotaCache_DefaultsByProvider(DatabaseProvider provider, QuotaCacheMode expected) =>
        Assert.Equal(expected, Read(provider).QuotaCache);

    [Fact]
    public void QuotaCache_CanBeTurnedOffOnSqlite() =>
        Assert.Equal(QuotaCacheMode.None, Read(DatabaseProvider.Sqlite, "none").QuotaCache);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.SqlServer)]
    public void QuotaCache_Redis_IsTakenWithARedisConfiguration(DatabaseProvider provider) =>
        Assert.Equal(QuotaCacheMode.Redis, Read(provider, "redis", "127.0.0.1:6379").QuotaCache);

    [Fact]
    public void QuotaCache_Redis_WithoutARedisConfiguration_IsRefused_NamingTheMissingKey()
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(DatabaseProvider.SqlServer, "Redis"));

        Assert.Equal("Redis:Configuration", error.Key);
        Assert.Contains("Metering:QuotaCache=Redis", error.Message);
    }

    [Fact]
    public void QuotaCache_Local_IsTakenOnSqlite() =>
        Assert.Equal(QuotaCacheMode.Local, Read(DatabaseProvider.Sqlite, "Local").QuotaCache);

    // Local totals are exact only while this process is the database's one writer: with a server database a second
    // instance (or a --migrate-only, a job host, a script) writes past them, and quota checks answer from stale totals.
    [Theory]
    [InlineData(DatabaseProvider.SqlServer, "Local")]
    [InlineData(DatabaseProvider.PostgreSql, "local")]
    public void QuotaCache_Local_WithAServerDatabase_IsRefused_NamingTheKey(DatabaseProvider provider, string value)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(provider, value));

        Assert.Equal("Metering:QuotaCache", error.Key);
        Assert.Contains(provider.ToString(), error.Message);
        Assert.Contains("None or Redis", error.Message);
    }

    [Theory]
    [InlineData("Memcached")]
    [InlineData("1")]
    public void QuotaCache_RejectsAnUnknownValue_NamingTheKey(string value)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(DatabaseProvider.Sqlite, value));

        Assert.Equal("Metering:QuotaCache", error.Key);
    }
}
