using TenantPortal.Data;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// Every usage event store of a server database takes the commit barrier (and so can enter it before its inserts):
/// a store without it lets a rollup pass over ids that commit later.
/// </summary>
public class UsageEventStoreBarrierTests
{
    // Ids commit in id order there: one writer at a time (SqliteUsageWriter's group commit).
    private static readonly Type[] InOrderByNature = [typeof(SqliteUsageEventStore)];

    [Fact]
    public void EveryServerUsageEventStore_TakesTheCommitBarrier()
    {
        var stores = typeof(PortalDbContext).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IUsageEventStore).IsAssignableFrom(t))
            .Except(InOrderByNature).ToList();

        Assert.NotEmpty(stores);
        Assert.All(stores, store => Assert.True(
            store.GetConstructors().All(c => c.GetParameters().Any(p => p.ParameterType == typeof(IUsageCommitBarrier))),
            $"{store.Name} must take an {nameof(IUsageCommitBarrier)} and enter it in its transaction before its first insert."));
    }
}
