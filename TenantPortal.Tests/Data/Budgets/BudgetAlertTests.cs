using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Budgets;
using TenantPortal.Data.Services.Notifications;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Budgets;

/// <summary>
/// The spend budget's 50/80/100 % alerts from the quota-alert run (the job's DI scopes, as <see cref="JobServices"/>
/// builds them) on alpha (Starter: 100,000 API calls included, $0.001 each beyond) with a $10 budget: 1,000 calls over
/// the quota are 10 % of it.
/// </summary>
public abstract class BudgetAlertTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : BudgetAlertTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : BudgetAlertTests(DatabaseProvider.PostgreSql);

    private const long Budget = 10_00;
    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);
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
    public async Task Run_FiresEachThresholdOnce_ToOwnersAndAdmins_InAppAndByEmail()
    {
        await SetBudgetAsync(BudgetAction.Block);
        await UseApiCallsAsync(105_000); // $5 overage: 50 %
        await RunAsync();
        var again = await RunAsync();
        Assert.Equal([50], await FiredAsync());
        await UseApiCallsAsync(3_000); // $8: 80 %
        await RunAsync();
        await UseApiCallsAsync(2_500); // $10.50: 105 %
        await RunAsync();
        await RunAsync();

        Assert.Equal([50, 80, 100], await FiredAsync());
        var notices = (await NoticesAsync()).Where(n => n.DeduplicationKey!.StartsWith("budget:")).ToList();
        Assert.Equal(9, notices.Count); // three thresholds, three recipients each
        foreach (var threshold in new[] { 50, 80, 100 })
        {
            var of = notices.Where(n => n.DeduplicationKey == QuotaAlertService.BudgetDeduplicationKey(_bed.AlphaId, Period(11), threshold)).ToList();
            Assert.Equal(Ids("owner", "owner2", "admin"), of.Select(n => n.UserId).Order().ToList());
            Assert.All(of, n => Assert.Equal("/t/alpha/billing", n.Link));
        }
        Assert.Equal("Spend budget reached", notices.First(n => n.DeduplicationKey!.EndsWith(":100")).Title);
        var budgetMail = _bed.Mail.Sent.Where(m => m.Subject.Contains("spend budget", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(9, budgetMail.Count);
        Assert.Equal(3, budgetMail.Count(m => m.To == "admin@alpha.test"));
        Assert.DoesNotContain(_bed.Mail.Sent, m => m.To is "member@alpha.test" or "viewer@alpha.test");
        Assert.Contains(budgetMail, m => m.TextBody.Contains("$10.50 of overage") && m.TextBody.Contains("refused"));
        Assert.Equal(0, again.AlertsFired);
    }

    [Fact]
    public async Task Run_ReArmsTheBudgetAlerts_InTheNextPeriod()
    {
        await SetBudgetAsync(BudgetAction.Alert);
        await UseApiCallsAsync(110_000);
        await RunAsync();

        _bed.Time.SetUtcNow(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        await RunAsync();
        var quietKeys = await BudgetKeysAsync();
        await UseApiCallsAsync(108_000); // $8 in December: 80 %
        await RunAsync();

        Assert.Equal(3, quietKeys.Count); // November's 50, 80 and 100; nothing in December before its usage
        var december = (await BudgetKeysAsync()).Where(k => k.Contains(":2026-12:")).Order().ToList();
        Assert.Equal([QuotaAlertService.BudgetDeduplicationKey(_bed.AlphaId, Period(12), 50), QuotaAlertService.BudgetDeduplicationKey(_bed.AlphaId, Period(12), 80)], december);
        Assert.Equal([50, 80], await FiredAsync());
    }

    [Fact]
    public async Task Run_FiresNoBudgetAlert_WithoutABudget()
    {
        await UseApiCallsAsync(200_000);

        await RunAsync();

        Assert.Empty(await BudgetKeysAsync());
        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.BudgetAlertFired));
    }

    private static DateTimeOffset Period(int month) => new(2026, month, 1, 0, 0, 0, TimeSpan.Zero);

    // The thresholds GET /budget reports as sent this period, read as the owner.
    private async Task<IReadOnlyList<int>> FiredAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(_bed.AlphaId);
        var status = await scope.ServiceProvider.GetRequiredService<SpendBudgetService>().GetAsync(_bed.ActorOf("owner"), CancellationToken.None);
        return status.Value.AlertsSent;
    }

    private List<string> Ids(params string[] names) => names.Select(n => _bed.Users[n].Id).Order().ToList();

    private async Task<QuotaAlertSummary> RunAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<QuotaAlertService>().RunAsync(CancellationToken.None);
    }

    private async Task SetBudgetAsync(BudgetAction action)
    {
        await using var db = _bed.Database.CrossTenant();
        var alpha = await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId);
        Assert.True(alpha.SetSpendBudget(Budget, action).Value);
        await db.SaveChangesAsync();
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

    private async Task<List<Notification>> NoticesAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        return await db.Notifications.AsNoTracking().ToListAsync();
    }

    private async Task<List<string>> BudgetKeysAsync() =>
        (await NoticesAsync()).Select(n => n.DeduplicationKey!).Where(k => k.StartsWith("budget:")).Distinct().ToList();
}
