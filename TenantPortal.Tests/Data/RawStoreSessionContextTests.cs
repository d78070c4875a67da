using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data;

/// <summary>The SQL Server stores that send ADO.NET commands themselves (not intercepted) set the session context too.</summary>
public class RawStoreSessionContextTests
{
    [Fact]
    public async Task RollupStore_RunsEveryStatementCrossTenant()
    {
        var connection = new RecordingDbConnection();

        await new SqlServerRollupStore().AggregateAsync(connection, null!, 10, 20, DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Equal(3, connection.Commands.Count); // one batch per granularity
        Assert.All(connection.Commands, c =>
        {
            Assert.StartsWith(TenantSessionContext.Prefix, c.Text, StringComparison.Ordinal);
            Assert.Equal(DBNull.Value, c.Parameters[TenantSessionContext.TenantIdParameter]);
            Assert.Equal(true, c.Parameters[TenantSessionContext.CrossTenantParameter]);
            Assert.Equal(10L, c.Parameters["@from"]);
        });
    }
}
