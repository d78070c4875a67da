using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Operations;

/// <summary>The fleet's audit log: alpha's, beta's and fleet-level entries, read by an operator through one query.</summary>
public abstract class FleetAuditServiceTests(TenancyTestBed template) : IAsyncLifetime
{
    public sealed class Sqlite(TenancyTestBed template) : FleetAuditServiceTests(template), IClassFixture<TenancyTestBed>;

    public sealed class PostgreSql(TenancyTestBed.OnPostgreSql template) : FleetAuditServiceTests(template), IClassFixture<TenancyTestBed.OnPostgreSql>;

    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Day = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);
    private readonly TenancyTestBed _bed = template.Clone();

    public async Task InitializeAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        db.AuditEntries.RemoveRange(db.AuditEntries);
        db.AuditEntries.AddRange(
            new AuditEntry { TenantId = _bed.AlphaId, Actor = "owner@alpha.test", Action = "member.removed", Target = "a1", OccurredAt = Day.AddHours(1) },
            new AuditEntry { TenantId = _bed.AlphaId, Actor = "admin@alpha.test", Action = "apikey.created", Target = "a2", OccurredAt = Day.AddDays(1) },
            new AuditEntry { TenantId = _bed.BetaId, Actor = "beta-owner@beta.test", Action = "member.removed", Target = "b1", OccurredAt = Day.AddDays(2) },
            new AuditEntry { TenantId = null, Actor = "system", Action = "operator.created", Target = "f1", OccurredAt = Day.AddDays(3) });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task Query_ReturnsEveryTenantsEntries_NewestFirst_WithTheirSlugs()
    {
        var page = await QueryAsync(await _bed.MakeOperatorAsync(), null, new AuditFilter());

        Assert.Equal(4, page.Total);
        Assert.Equal(["f1", "b1", "a2", "a1"], page.Rows.Select(r => r.Entry.Target));
        Assert.Equal([null, "beta", "alpha", "alpha"], page.Rows.Select(r => r.TenantSlug));
    }

    [Theory]
    [InlineData("alpha", null, null, null, null, "a2,a1")]
    [InlineData(" BETA ", null, null, null, null, "b1")]
    [InlineData(null, "member.", null, null, null, "b1,a1")]
    [InlineData(null, null, "OWNER@", null, null, "b1,a1")]
    [InlineData("alpha", "member.", "owner", null, null, "a1")]
    [InlineData(null, null, null, 1, 3, "b1,a2")]
    [InlineData("nobody", null, null, null, null, "")]
    public async Task Query_Filters_ByTenantActionActorAndTime(string? tenant, string? action, string? actor, int? fromDay, int? toDay, string expected)
    {
        var filter = new AuditFilter(action, actor, fromDay is { } f ? Day.AddDays(f) : null, toDay is { } t ? Day.AddDays(t) : null);

        var page = await QueryAsync(await _bed.MakeOperatorAsync(), tenant, filter);

        Assert.Equal(expected, string.Join(",", page.Rows.Select(r => r.Entry.Target)));
        Assert.Equal(page.Rows.Count, page.Total);
    }

    [Fact]
    public async Task Query_Pages_InTheDatabase()
    {
        var op = await _bed.MakeOperatorAsync();

        var second = await QueryAsync(op, null, new AuditFilter(), skip: 1, take: 2);

        Assert.Equal((4, "b1,a2"), (second.Total, string.Join(",", second.Rows.Select(r => r.Entry.Target))));
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("beta-owner")]
    [InlineData("outsider")]
    public async Task Query_IsForbidden_ToAnyoneButAnOperator(string user)
    {
        var result = await Service().QueryAsync(_bed.ActorOf(user), null, new AuditFilter(), 0, 10, None);

        Assert.Equal(ErrorCodes.Forbidden, result.Error?.Code);
    }

    [Fact]
    public async Task Query_RefusesABadPage()
    {
        var op = await _bed.MakeOperatorAsync();

        Assert.Equal("take", (await Service().QueryAsync(op, null, new AuditFilter(), 0, FleetAuditService.MaxPageSize + 1, None)).Error?.Field);
        Assert.Equal("skip", (await Service().QueryAsync(op, null, new AuditFilter(), -1, 10, None)).Error?.Field);
    }

    private async Task<FleetAuditPage> QueryAsync(TenantPortal.Data.Services.Actor actor, string? tenant, AuditFilter filter, int skip = 0, int take = 50)
    {
        var result = await Service().QueryAsync(actor, tenant, filter, skip, take, None);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    // Working in alpha, as a request of the operator's might be: the service must still see every tenant.
    private FleetAuditService Service()
    {
        var tenant = new TenantContext();
        tenant.SetTenant(_bed.AlphaId);
        return new FleetAuditService(new TestContextFactory(_bed.Database, tenant), tenant);
    }
}
