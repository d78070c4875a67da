using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Notifications;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Notifications;

/// <summary>
/// The quota-alert run over the test bed (alpha and beta on Starter: 100,000 API calls a month), with the services built
/// as the job's DI scopes build them: one scope to list the tenants, a fresh one per tenant.
/// </summary>
public abstract class QuotaAlertServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : QuotaAlertServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : QuotaAlertServiceTests(DatabaseProvider.PostgreSql);

    private const int StarterApiCalls = 100_000;
    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);
    private ServiceProvider _services = default!;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        _services = BuildServices(null);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _bed.DisposeAsync();
    }

    [Fact]
    public async Task Run_NotifiesAndEmailsOwnersAndAdminsOnly_WhenUsageReaches80Percent()
    {
        await UseApiCallsAsync(_bed.AlphaId, 80_000);

        var summary = await RunAsync();

        Assert.Equal((1, 3, 3), (summary.AlertsFired, summary.NoticesCreated, summary.EmailsSent));
        var notices = await NoticesAsync();
        Assert.All(notices, n => Assert.Equal(Key(_bed.AlphaId, 80), n.DeduplicationKey));
        Assert.Equal(Ids("owner", "owner2", "admin"), notices.Select(n => n.UserId).Order().ToList());
        Assert.All(notices, n => Assert.Equal(("/t/alpha/usage", _bed.AlphaId), (n.Link, n.TenantId!.Value)));
        Assert.Equal(["admin@alpha.test", "owner2@alpha.test", "owner@alpha.test"], _bed.Mail.Sent.Select(m => m.To).Order(StringComparer.Ordinal).ToList());
        Assert.All(_bed.Mail.Sent, m => Assert.Contains("80 %", m.Subject));
    }

    [Fact]
    public async Task Run_EmailsAnAbsoluteLinkToTheUsagePage_OnThePortalsPublicAddress()
    {
        await UseApiCallsAsync(_bed.AlphaId, 80_000);

        await RunAsync();

        Assert.NotEmpty(_bed.Mail.Sent);
        Assert.All(_bed.Mail.Sent, m => Assert.Contains("https://portal.test/t/alpha/usage", m.TextBody));
        Assert.All(_bed.Mail.Sent, m => Assert.Contains("href=\"https://portal.test/t/alpha/usage\"", m.HtmlBody));
    }

    [Fact]
    public async Task Run_RecordsOneSystemAuditEntry_PerFiredAlert()
    {
        await UseApiCallsAsync(_bed.AlphaId, 80_000);

        await RunAsync();

        await using var db = _bed.Database.CrossTenant();
        var entry = Assert.Single(await db.AuditEntries.Where(e => e.Action == TenantPortal.Core.Audit.AuditActions.QuotaAlertFired).ToListAsync());
        Assert.Equal((_bed.AlphaId, "system", (string?)null, "quota:api_calls"), (entry.TenantId!.Value, entry.Actor, entry.ActorUserId, entry.Target));
    }

    [Fact]
    public async Task Run_FiresNothing_WhenRunAgainInTheSamePeriod()
    {
        await UseApiCallsAsync(_bed.AlphaId, 85_000);
        await RunAsync();

        var second = await RunAsync();

        Assert.Equal(0, second.AlertsFired);
        Assert.Equal(3, (await NoticesAsync()).Count);
        Assert.Equal(3, _bed.Mail.Sent.Count);
        Assert.Equal(1, await AuditCountAsync());
    }

    [Fact]
    public async Task Run_FiresHigherThresholds_WhenUsageGrowsLater()
    {
        await UseApiCallsAsync(_bed.AlphaId, 80_000);
        await RunAsync();

        await UseApiCallsAsync(_bed.AlphaId, 10_000);
        var at90 = await RunAsync();
        await UseApiCallsAsync(_bed.AlphaId, 10_000);
        var at100 = await RunAsync();

        Assert.Equal((1, 1), (at90.AlertsFired, at100.AlertsFired));
        var keys = (await NoticesAsync()).GroupBy(n => n.DeduplicationKey).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { [Key(_bed.AlphaId, 80)] = 3, [Key(_bed.AlphaId, 90)] = 3, [Key(_bed.AlphaId, 100)] = 3 }, keys);
        Assert.Equal(9, _bed.Mail.Sent.Count);
    }

    [Fact]
    public async Task Run_FiresEveryThresholdPassed_WhenUsageJumpsFromBelow80To90()
    {
        await UseApiCallsAsync(_bed.AlphaId, 92_000);

        var summary = await RunAsync();

        Assert.Equal(2, summary.AlertsFired);
        Assert.Equal([Key(_bed.AlphaId, 80), Key(_bed.AlphaId, 90)],
            (await NoticesAsync()).Select(n => n.DeduplicationKey!).Distinct().Order().ToList());
    }

    [Fact]
    public async Task Run_FiresOnce_WhenTwoRunsAreConcurrent()
    {
        await UseApiCallsAsync(_bed.AlphaId, 100_000);

        var summaries = await Task.WhenAll(RunAsync(), RunAsync());

        Assert.Equal(3, summaries.Sum(s => s.AlertsFired));
        Assert.Equal(9, (await NoticesAsync()).Count);
        Assert.Equal(9, _bed.Mail.Sent.Count);
        Assert.Equal(3, await AuditCountAsync());
    }

    [Fact]
    public async Task Run_TreatsAUniqueViolation_AsAlreadyFired_WhenAnotherRunInsertsFirst()
    {
        await UseApiCallsAsync(_bed.AlphaId, 80_000);
        // Another run commits the same alert between this run's look-up and its insert.
        var race = new InsertFirstInterceptor(_bed, Key(_bed.AlphaId, 80));
        await using var racing = BuildServices(race);

        var summary = await RunAsync(racing);

        Assert.True(race.Fired);
        Assert.Equal(0, summary.AlertsFired);
        Assert.Single(await NoticesAsync());
        Assert.Empty(_bed.Mail.Sent);
        Assert.Equal(0, await AuditCountAsync());
    }

    [Fact]
    public async Task Run_FiresAgain_InTheNextPeriod()
    {
        await UseApiCallsAsync(_bed.AlphaId, 80_000);
        await RunAsync();

        _bed.Time.SetUtcNow(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var quiet = await RunAsync();
        await UseApiCallsAsync(_bed.AlphaId, 80_000);
        var december = await RunAsync();

        Assert.Equal((0, 1), (quiet.AlertsFired, december.AlertsFired));
        Assert.Equal(3, (await NoticesAsync()).Count(n => n.DeduplicationKey == $"quota:{_bed.AlphaId}:api_calls:2026-12:80"));
        Assert.Equal(6, _bed.Mail.Sent.Count);
    }

    [Fact]
    public async Task Run_NeverFires_ForAnUnlimitedQuota()
    {
        await using (var db = _bed.Database.CrossTenant())
        {
            var alpha = await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId);
            alpha.ChangeTierByOperator(SubscriptionTier.Enterprise, _bed.Time.GetUtcNow());
            await db.SaveChangesAsync();
        }
        await UseApiCallsAsync(_bed.AlphaId, 50 * StarterApiCalls);

        var summary = await RunAsync();

        Assert.Equal(0, summary.AlertsFired);
        Assert.Empty(await NoticesAsync());
        Assert.Empty(_bed.Mail.Sent);
    }

    [Fact]
    public async Task Run_CreatesNoticesWithoutEmail_WhenEmailQuotaAlertsIsOff()
    {
        await using (var db = _bed.Database.CrossTenant())
        {
            var alpha = await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId);
            alpha.Settings.EmailQuotaAlerts = false;
            await db.SaveChangesAsync();
        }
        await UseApiCallsAsync(_bed.AlphaId, 80_000);

        var summary = await RunAsync();

        Assert.Equal((1, 3, 0), (summary.AlertsFired, summary.NoticesCreated, summary.EmailsSent));
        Assert.Equal(3, (await NoticesAsync()).Count);
        Assert.Empty(_bed.Mail.Sent);
    }

    [Fact]
    public async Task Run_ChecksEveryTenant_AndNotifiesEachOnlyOfItsOwn()
    {
        await UseApiCallsAsync(_bed.BetaId, 90_000);

        var summary = await RunAsync();

        Assert.Equal((2, 2), (summary.Tenants, summary.AlertsFired));
        var notices = await NoticesAsync();
        Assert.All(notices, n => Assert.Equal((_bed.Users["beta-owner"].Id, _bed.BetaId), (n.UserId, n.TenantId!.Value)));
        Assert.Equal(["beta-owner@beta.test", "beta-owner@beta.test"], _bed.Mail.Sent.Select(m => m.To).ToList());
    }

    private static string Key(Guid tenantId, int threshold) => $"quota:{tenantId}:api_calls:2026-11:{threshold}";

    private List<string> Ids(params string[] names) => names.Select(n => _bed.Users[n].Id).Order().ToList();

    private Task<QuotaAlertSummary> RunAsync() => RunAsync(_services);

    private static async Task<QuotaAlertSummary> RunAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<QuotaAlertService>().RunAsync(CancellationToken.None);
    }

    private ServiceProvider BuildServices(IInterceptor? interceptor) => JobServices.Build(_bed, interceptor: interceptor);

    private async Task UseApiCallsAsync(Guid tenantId, decimal quantity)
    {
        await using var db = _bed.Database.CrossTenant();
        var now = _bed.Time.GetUtcNow();
        db.UsageEvents.Add(new UsageEvent
        {
            TenantId = tenantId, ClientEventId = Guid.NewGuid().ToString("N"), Metric = UsageMetric.ApiCalls, Quantity = quantity,
            Timestamp = now.AddMinutes(-1), ReceivedAt = now,
        });
        await db.SaveChangesAsync();
    }

    private async Task<List<Notification>> NoticesAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        return await db.Notifications.AsNoTracking().ToListAsync();
    }

    private async Task<int> AuditCountAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        return await db.AuditEntries.CountAsync(e => e.Action == TenantPortal.Core.Audit.AuditActions.QuotaAlertFired);
    }

    // Just before the first save of new notices, writes the owner's notice of the same alert through another connection.
    private sealed class InsertFirstInterceptor(TenancyTestBed bed, string key) : SaveChangesInterceptor
    {
        public bool Fired { get; private set; }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (!Fired && eventData.Context!.ChangeTracker.Entries<Notification>().Any(e => e.State == EntityState.Added))
            {
                Fired = true;
                await using var other = bed.Database.CrossTenant();
                other.Notifications.Add(new Notification
                {
                    UserId = bed.Users["owner"].Id, TenantId = bed.AlphaId, Title = "t", Message = "m", DeduplicationKey = key, CreatedAt = bed.Time.GetUtcNow(),
                });
                await other.SaveChangesAsync(cancellationToken);
            }
            return result;
        }
    }
}
