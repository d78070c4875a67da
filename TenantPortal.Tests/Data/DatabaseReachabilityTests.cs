using Microsoft.EntityFrameworkCore;
using Npgsql;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data;

/// <summary>
/// The start's first look at a server database: a database that does not exist yet is created by a start that migrates
/// (<c>--migrate-only</c>, <c>Database:AutoMigrate</c>), and stops any other start with one line naming the key.
/// </summary>
public class DatabaseReachabilityTests
{
    private static (PostgreSqlPortalDbContext Db, DatabaseReachability Check) OnMissingDatabase()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(TestServers.PostgreSql) { Database = $"tp_missing_{Guid.NewGuid():N}", Pooling = false }.ToString();
        var db = new PostgreSqlPortalDbContext(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql(connectionString).Options, new TenantContext());
        return (db, new DatabaseReachability(db, new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString }));
    }

    [Fact]
    public async Task EnsureReachableAsync_WhenMigrating_TakesAMissingDatabaseAsOneToCreate()
    {
        var (db, check) = OnMissingDatabase();
        await using var _ = db;

        Assert.False(await check.EnsureReachableAsync(migrating: true, CancellationToken.None));
    }

    [Fact]
    public async Task EnsureReachableAsync_WithoutMigrating_RefusesAMissingDatabase_NamingTheKey()
    {
        var (db, check) = OnMissingDatabase();
        await using var _ = db;

        var error = await Assert.ThrowsAsync<InvalidSettingException>(() => check.EnsureReachableAsync(CancellationToken.None));

        Assert.Equal("ConnectionStrings:Portal", error.Key);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("--migrate-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureReachableAsync_RefusesAServerThatDoesNotAnswer_EvenWhenMigrating()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(TestServers.PostgreSql) { Port = 1, Database = "x", Pooling = false, Timeout = 2 }.ToString();
        await using var db = new PostgreSqlPortalDbContext(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql(connectionString).Options, new TenantContext());
        var check = new DatabaseReachability(db, new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString });

        var error = await Assert.ThrowsAsync<InvalidSettingException>(() => check.EnsureReachableAsync(migrating: true, CancellationToken.None));

        Assert.Equal("ConnectionStrings:Portal", error.Key);
        Assert.Contains("can't connect", error.Message, StringComparison.Ordinal);
    }
}
