using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// Deleting a tenant with many events: the tenant is gone for everyone at once, its rows are deleted in batches of their own
/// statements, a deletion stopped after its first batch is finished by the job, and other tenants' rows stay.
/// </summary>
public abstract class TenantDeletionTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : TenantDeletionTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : TenantDeletionTests(DatabaseProvider.PostgreSql);

    private const int BatchSize = 1_000;
    private const int AlphaEvents = 2_500;
    private const int BetaEvents = 40;
    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        await using var db = _bed.Database.CrossTenant();
        var at = _bed.Time.GetUtcNow();
        db.UsageEvents.AddRange(Enumerable.Range(0, AlphaEvents).Select(i => Event(_bed.AlphaId, $"a-{i}", at)));
        db.UsageEvents.AddRange(Enumerable.Range(0, BetaEvents).Select(i => Event(_bed.BetaId, $"b-{i}", at)));
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task Delete_DeletesTheEventsInSeveralBatches_AndLeavesOtherTenantsRows()
    {
        var deletes = new EventDeletes();
        var service = TenantServiceFor(_bed.AlphaId, deletes);

        var result = await service.DeleteAsync(_bed.ActorOf("owner"), TenancyTestBed.AlphaSlug, CancellationToken.None);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(3, deletes.Count);
        await using var db = _bed.Database.CrossTenant();
        Assert.Equal(0, await db.UsageEvents.CountAsync(e => e.TenantId == _bed.AlphaId));
        Assert.False(await db.Tenants.IgnoreQueryFilters([TenantDeletionService.NotDeletedFilter]).AnyAsync(t => t.Id == _bed.AlphaId));
        Assert.False(await db.Members.AnyAsync(m => m.TenantId == _bed.AlphaId));
        Assert.Equal(BetaEvents, await db.UsageEvents.CountAsync(e => e.TenantId == _bed.BetaId));
        Assert.True(await db.Tenants.AnyAsync(t => t.Id == _bed.BetaId));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.TenantId == _bed.AlphaId && a.Action == AuditActions.TenantDeleted));
    }

    [Fact]
    public async Task Delete_StoppedAfterTheFirstBatch_LeavesTheTenantGoneForEveryone_AndTheJobFinishesIt()
    {
        using var stop = new CancellationTokenSource();
        var deletes = new EventDeletes { AfterFirst = stop.Cancel };
        var service = TenantServiceFor(_bed.AlphaId, deletes);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            service.DeleteAsync(_bed.ActorOf("owner"), TenancyTestBed.AlphaSlug, stop.Token));

        await using (var db = _bed.Database.CrossTenant())
        {
            Assert.Equal(AlphaEvents - BatchSize, await db.UsageEvents.CountAsync(e => e.TenantId == _bed.AlphaId));
            // Gone for operators and jobs (cross-tenant), members and its own context alike.
            Assert.False(await db.Tenants.AnyAsync(t => t.Id == _bed.AlphaId));
        }
        var memberships = await _bed.In(null).Access.ListForUserAsync(_bed.Users["owner"].Id, CancellationToken.None);
        Assert.DoesNotContain(memberships, t => t.TenantId == _bed.AlphaId);
        var entered = await _bed.In(null).Access.EnterAsync(TenancyTestBed.AlphaSlug, _bed.Users["owner"].Id, signedInWithSecondFactor: true, CancellationToken.None);
        Assert.False(entered.IsSuccess);
        var again = await TenantServiceFor(_bed.AlphaId, new EventDeletes()).DeleteAsync(_bed.ActorOf("owner"), TenancyTestBed.AlphaSlug, CancellationToken.None);
        Assert.False(again.IsSuccess);

        var finished = await Deletion(new TenantContext(), new EventDeletes()).ContinuePendingAsync(CancellationToken.None);

        Assert.Equal(1, finished);
        await using var after = _bed.Database.CrossTenant();
        Assert.Equal(0, await after.UsageEvents.CountAsync(e => e.TenantId == _bed.AlphaId));
        Assert.False(await after.Tenants.IgnoreQueryFilters([TenantDeletionService.NotDeletedFilter]).AnyAsync(t => t.Id == _bed.AlphaId));
        Assert.Equal(BetaEvents, await after.UsageEvents.CountAsync(e => e.TenantId == _bed.BetaId));
        Assert.Equal(0, await Deletion(new TenantContext(), new EventDeletes()).ContinuePendingAsync(CancellationToken.None));
    }

    private TenantService TenantServiceFor(Guid tenantId, EventDeletes deletes)
    {
        var tenant = new TenantContext();
        tenant.SetTenant(tenantId);
        var contexts = new Contexts(_bed.Database, tenant, deletes);
        return new TenantService(contexts, tenant, new AuditWriter(_bed.Time),
            new TenantCreator(contexts, tenant, Options.Create(new BillingOptions()), _bed.Time), _bed.Addresses, Deletion(tenant, deletes), _bed.Time);
    }

    private TenantDeletionService Deletion(TenantContext tenant, EventDeletes deletes) =>
        new(new Contexts(_bed.Database, tenant, deletes), NullLogger<TenantDeletionService>.Instance) { BatchSize = BatchSize };

    private static UsageEvent Event(Guid tenantId, string id, DateTimeOffset at) =>
        new() { TenantId = tenantId, ClientEventId = id, Metric = UsageMetric.ApiCalls, Quantity = 1, Timestamp = at, ReceivedAt = at };

    private sealed class Contexts(TestDatabase database, TenantContext tenant, EventDeletes deletes) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => database.CreateContext(tenant, deletes);
    }

    // Counts the statements that deleted usage events; optionally acts after the first one.
    private sealed class EventDeletes : DbCommandInterceptor
    {
        public int Count { get; private set; }

        public Action? AfterFirst { get; init; }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
            CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("DELETE", StringComparison.Ordinal) && command.CommandText.Contains("UsageEvents", StringComparison.Ordinal))
            {
                Count++;
                if (Count == 1)
                    AfterFirst?.Invoke();
            }
            return ValueTask.FromResult(result);
        }
    }
}
