using TenantPortal.Core.Audit;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

public abstract class AuditQueryServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : AuditQueryServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : AuditQueryServiceTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        await using var db = _bed.Database.CrossTenant();
        var start = _bed.Time.GetUtcNow();
        for (var i = 0; i < 30; i++)
        {
            db.AuditEntries.Add(new AuditEntry
            {
                TenantId = i % 3 == 0 ? _bed.BetaId : _bed.AlphaId, Actor = i % 2 == 0 ? "admin@alpha.test" : "owner@alpha.test",
                Action = i % 5 == 0 ? "member.removed" : "tenant.updated", OccurredAt = start.AddMinutes(i),
            });
        }
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task Query_PagesTheTenantsOwnEntries_NewestFirst()
    {
        var audit = _bed.In(_bed.AlphaId).Audit;

        var first = await audit.QueryAsync(_bed.ActorOf("admin"), new AuditFilter(), 0, 7, CancellationToken.None);
        var second = await audit.QueryAsync(_bed.ActorOf("admin"), new AuditFilter(), 7, 7, CancellationToken.None);

        Assert.Equal(20, first.Value.Total);
        Assert.Equal(7, first.Value.Entries.Count);
        Assert.All(first.Value.Entries.Concat(second.Value.Entries), e => Assert.Equal(_bed.AlphaId, e.TenantId));
        Assert.True(first.Value.Entries[^1].OccurredAt >= second.Value.Entries[0].OccurredAt);
    }

    [Fact]
    public async Task Query_FiltersByActionActorAndTime()
    {
        var start = _bed.Time.GetUtcNow();

        var result = await _bed.In(_bed.AlphaId).Audit.QueryAsync(_bed.ActorOf("owner"),
            new AuditFilter("member.", "owner@", start.AddMinutes(5), start.AddMinutes(30)), 0, 100, CancellationToken.None);

        Assert.All(result.Value.Entries, e =>
        {
            Assert.StartsWith("member.", e.Action);
            Assert.Contains("owner@", e.Actor);
            Assert.InRange(e.OccurredAt, start.AddMinutes(5), start.AddMinutes(30));
        });
        Assert.Equal(new[] { 25, 5 }.Select(m => start.AddMinutes(m)), result.Value.Entries.Select(e => e.OccurredAt));
    }

    [Theory]
    [InlineData(-1, 10, "skip")]
    [InlineData(0, 0, "take")]
    [InlineData(0, 101, "take")]
    public async Task Query_RefusesBadPaging(int skip, int take, string field)
    {
        var result = await _bed.In(_bed.AlphaId).Audit.QueryAsync(_bed.ActorOf("admin"), new AuditFilter(), skip, take, CancellationToken.None);

        Assert.Equal(field, result.Error?.Field);
    }

    [Fact]
    public async Task Query_MatchesFiltersWhateverTheirCase()
    {
        var lower = await _bed.In(_bed.AlphaId).Audit.QueryAsync(_bed.ActorOf("owner"), new AuditFilter("member.", "owner@"), 0, 100, CancellationToken.None);
        var upper = await _bed.In(_bed.AlphaId).Audit.QueryAsync(_bed.ActorOf("owner"), new AuditFilter("MEMBER.", "OWNER@ALPHA"), 0, 100, CancellationToken.None);

        Assert.NotEqual(0, lower.Value.Total);
        Assert.Equal(lower.Value.Entries.Select(e => e.Id), upper.Value.Entries.Select(e => e.Id));
    }
}
