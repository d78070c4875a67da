using TenantPortal.Web.Startup;

namespace TenantPortal.Tests.Web;

public class HangfireSqlServerStorageOptionsTests
{
    [Fact]
    public void Create_GivesHangfire18sRecommendedSqlServerOptions()
    {
        var options = HangfireSqlServerStorageOptions.Create();

        Assert.Equal(TimeSpan.FromMinutes(5), options.CommandBatchMaxTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), options.SlidingInvisibilityTimeout);
        Assert.Equal(TimeSpan.Zero, options.QueuePollInterval);
        Assert.True(options.UseRecommendedIsolationLevel);
        Assert.True(options.DisableGlobalLocks);
        Assert.False(options.TryAutoDetectSchemaDependentOptions);
        Assert.Equal("hangfire", options.SchemaName);
        Assert.True(options.PrepareSchemaIfNecessary);
    }
}
