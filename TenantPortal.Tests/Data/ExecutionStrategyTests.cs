using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data;

/// <summary>
/// SQLite runs with a retrying execution strategy, as SQL Server does with EnableRetryOnFailure: a user transaction begun
/// outside the strategy fails here (in every test that reaches it), not first in production.
/// </summary>
public sealed class ExecutionStrategyTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task AnUnwrappedUserTransaction_IsRefused_AsSqlServersRetryingStrategyRefusesIt()
    {
        await using var db = _database.CrossTenant();

        Assert.True(db.Database.CreateExecutionStrategy().RetriesOnFailure);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Tenants.CountAsync());
        Assert.Contains("does not support user-initiated transactions", refused.Message);
    }

    [Fact]
    public async Task InTransactionAsync_RunsTheUnitAgain_AfterABusyDatabase_FromAnEmptyChangeTracker()
    {
        await using var db = _database.CrossTenant();
        var attempts = 0;

        var count = await db.InTransactionAsync(async (transaction, ct) =>
        {
            attempts++;
            Assert.Empty(db.ChangeTracker.Entries());
            db.Tenants.Add(Tenant.Create("Retry", $"retry-{attempts}", SubscriptionTier.Free, DateTimeOffset.UnixEpoch, TimeSpan.FromDays(14)));
            if (attempts == 1)
                throw new SqliteException("database is locked", 5);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return await db.Tenants.CountAsync(ct);
        }, CancellationToken.None);

        Assert.Equal(2, attempts);
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task InTransactionAsync_DoesNotRetry_AnErrorThatIsNotTransient()
    {
        await using var db = _database.CrossTenant();
        var attempts = 0;

        await Assert.ThrowsAsync<SqliteException>(() => db.InTransactionAsync<int>((_, _) =>
        {
            attempts++;
            throw new SqliteException("constraint failed", 19);
        }, CancellationToken.None));

        Assert.Equal(1, attempts);
    }
}
