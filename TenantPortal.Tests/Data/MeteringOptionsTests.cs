using Microsoft.Extensions.Configuration;
using TenantPortal.Data.Options;

namespace TenantPortal.Tests.Data;

public class MeteringOptionsTests
{
    private static MeteringOptions Read(DatabaseProvider provider, string? quotaCache = null) =>
        MeteringOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(
            quotaCache is null ? [] : new Dictionary<string, string?> { ["Metering:QuotaCache"] = quotaCache }).Build(), provider);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, QuotaCacheMode.Local)]
    [InlineData(DatabaseProvider.SqlServer, QuotaCacheMode.None)]
    public void QuotaCache_DefaultsByProvider(DatabaseProvider provider, QuotaCacheMode expected) =>
        Assert.Equal(expected, Read(provider).QuotaCache);

    [Fact]
    public void QuotaCache_CanBeTurnedOffOnSqlite() =>
        Assert.Equal(QuotaCacheMode.None, Read(DatabaseProvider.Sqlite, "none").QuotaCache);

    [Theory]
    [InlineData("Redis")]
    [InlineData("1")]
    public void QuotaCache_RejectsAnUnknownValue_NamingTheKey(string value)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(DatabaseProvider.Sqlite, value));

        Assert.Equal("Metering:QuotaCache", error.Key);
    }
}
