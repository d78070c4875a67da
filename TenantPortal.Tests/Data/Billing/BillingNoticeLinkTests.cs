using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>A billing notice's email links to the tenant's billing page on the portal's public address, not a bare path.</summary>
public abstract class BillingNoticeLinkTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : BillingNoticeLinkTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : BillingNoticeLinkTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();

    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task Notify_EmailsAnAbsoluteLinkToTheBillingPage()
    {
        await using var services = JobServices.Build(_bed);
        Tenant tenant;
        await using (var db = _bed.Database.CrossTenant())
            tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == _bed.AlphaId);

        var sent = await services.RunAsync<BillingNotifier, int>(n => n.NotifyAsync(tenant,
            new BillingNotice($"test-{Guid.NewGuid():N}", "Payment failed", "Your payment failed.", NotificationSeverity.Error), CancellationToken.None));

        Assert.True(sent > 0);
        Assert.All(_bed.Mail.Sent, m => Assert.Contains("https://portal.test/t/alpha/billing", m.TextBody));
        Assert.All(_bed.Mail.Sent, m => Assert.Contains("href=\"https://portal.test/t/alpha/billing\"", m.HtmlBody));
    }
}
