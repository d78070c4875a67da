using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Budgets;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Budgets;

/// <summary>
/// The budget service over the test bed (alpha on Starter): the owner's changes audited with old and new values, the
/// tenant's rules refusing bad amounts without a change, and the operators' read-only view across tenants.
/// </summary>
public sealed class SpendBudgetServiceTests : IAsyncLifetime
{
    private readonly TenancyTestBed _bed = new();
    private ServiceProvider _services = default!;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        _services = JobServices.Build(_bed);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _bed.DisposeAsync();
    }

    [Fact]
    public async Task SetAndRemove_AuditOldAndNewValues_AsTheOwner()
    {
        var owner = _bed.ActorOf("owner");

        var set = await InAlpha(s => s.SetAsync(owner, 25_00, BudgetAction.Alert, CancellationToken.None));
        var changed = await InAlpha(s => s.SetAsync(owner, 40_00, BudgetAction.Block, CancellationToken.None));
        var same = await InAlpha(s => s.SetAsync(owner, 40_00, BudgetAction.Block, CancellationToken.None));
        var removed = await InAlpha(s => s.RemoveAsync(owner, CancellationToken.None));

        Assert.True(set.IsSuccess && changed.IsSuccess && same.IsSuccess && removed.IsSuccess);
        Assert.Equal((4000L, BudgetAction.Block, true), (changed.Value.AmountCents, changed.Value.Action, changed.Value.CanManage));
        await using var db = _bed.Database.CrossTenant();
        var entries = await db.AuditEntries.Where(a => a.Action == AuditActions.BudgetChanged).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["no budget → $25.00 (alert)", "$25.00 (alert) → $40.00 (block)", "$40.00 (block) → no budget"], entries.Select(e => e.Details).ToList());
        Assert.All(entries, e => Assert.Equal((owner.UserId, "budget"), (e.ActorUserId, e.Target)));
        Assert.Null((await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId)).SpendBudgetCents);
    }

    [Theory]
    [InlineData(0L, "amountCents")]
    [InlineData(-1L, "amountCents")]
    [InlineData(100_000_001L, "amountCents")]
    public async Task Set_RefusesAnAmountOutOfRange_NamingIt_AndChangesNothing(long cents, string field)
    {
        var result = await InAlpha(s => s.SetAsync(_bed.ActorOf("owner"), cents, BudgetAction.Block, CancellationToken.None));

        Assert.Equal((ErrorCodes.Invalid, field), (result.Error?.Code, result.Error?.Field));
        await using var db = _bed.Database.CrossTenant();
        Assert.Null((await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId)).SpendBudgetCents);
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.BudgetChanged));
    }

    [Fact]
    public async Task Get_ReportsTheOverageSoFar_AsTheInvoiceRoundsIt()
    {
        await InAlpha(s => s.SetAsync(_bed.ActorOf("owner"), 2_00, BudgetAction.Block, CancellationToken.None));
        await UseApiCallsAsync(100_995); // 995 over at 0.1 cent: 99.5, rounded half away from zero to 100 cents

        var status = await InAlpha(s => s.GetAsync(_bed.ActorOf("admin"), CancellationToken.None));

        Assert.Equal((100L, 50m, false), (status.Value.OverageCents, status.Value.Percent, status.Value.CanManage));
        Assert.Equal((new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)),
            (status.Value.PeriodStart, status.Value.PeriodEnd));
    }

    [Fact]
    public async Task GetForOperator_ReadsAnyTenant_ForOperatorsOnly()
    {
        await InAlpha(s => s.SetAsync(_bed.ActorOf("owner"), 30_00, BudgetAction.Alert, CancellationToken.None));
        await UseApiCallsAsync(101_000);
        var operatorActor = await OperatorAsync();

        var read = await Unscoped(s => s.GetForOperatorAsync(operatorActor, _bed.AlphaId, CancellationToken.None));
        var byOwner = await Unscoped(s => s.GetForOperatorAsync(_bed.ActorOf("owner"), _bed.AlphaId, CancellationToken.None));
        var missing = await Unscoped(s => s.GetForOperatorAsync(operatorActor, Guid.NewGuid(), CancellationToken.None));

        Assert.Equal((3000L, BudgetAction.Alert, 100L, false), (read.Value.AmountCents, read.Value.Action, read.Value.OverageCents, read.Value.CanManage));
        Assert.Equal(ErrorCodes.Forbidden, byOwner.Error?.Code);
        Assert.Equal(ErrorCodes.NotFound, missing.Error?.Code);
    }

    private async Task<T> InAlpha<T>(Func<SpendBudgetService, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(_bed.AlphaId);
        return await work(scope.ServiceProvider.GetRequiredService<SpendBudgetService>());
    }

    private async Task<T> Unscoped<T>(Func<SpendBudgetService, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<SpendBudgetService>());
    }

    private async Task<Actor> OperatorAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        var role = new IdentityRole(PortalRoles.Operator) { NormalizedName = PortalRoles.Operator.ToUpperInvariant() };
        db.Roles.Add(role);
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = _bed.Users["outsider"].Id, RoleId = role.Id });
        await db.SaveChangesAsync();
        return _bed.ActorOf("outsider");
    }

    private async Task UseApiCallsAsync(decimal quantity)
    {
        await using var db = _bed.Database.CrossTenant();
        var now = _bed.Time.GetUtcNow();
        db.UsageEvents.Add(new UsageEvent
        {
            TenantId = _bed.AlphaId, ClientEventId = Guid.NewGuid().ToString("N"), Metric = UsageMetric.ApiCalls, Quantity = quantity,
            Timestamp = now.AddMinutes(-1), ReceivedAt = now,
        });
        await db.SaveChangesAsync();
    }
}
