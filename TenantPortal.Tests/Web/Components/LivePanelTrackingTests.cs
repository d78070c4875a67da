using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Interceptors;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Web.Components.Tenant;

namespace TenantPortal.Tests.Web.Components;

/// <summary>The live panels with the tenant's changes tracked (one writing instance): a tick after a change shows it.</summary>
public class LivePanelTrackingTests : UsageComponentTestContext
{
    private readonly TenantDataVersions _versions = new();

    public LivePanelTrackingTests() => Services.AddSingleton(_versions);

    [Fact]
    public async Task UsagePanel_ATickAfterAnIngest_ShowsTheNewUsage()
    {
        var panel = RenderUsagePanel();
        panel.WaitForAssertion(() => Assert.Contains("0 / 50 h", GpuBar(panel)));

        await ReportAsync(UsageMetric.GpuHours, 5);
        _versions.Stored(Tenant.Id, [new StoredUsageEvent(1, UsageMetric.GpuHours, 5, Now)]);
        Clock.Advance(TimeSpan.FromSeconds(10));

        panel.WaitForAssertion(() => Assert.Contains("5 / 50 h", GpuBar(panel)));
    }

    [Fact]
    public async Task UsagePanel_ATickAfterAPlanChange_ShowsTheNewQuota()
    {
        var panel = RenderUsagePanel();
        panel.WaitForAssertion(() => Assert.Contains("0 / 50 h", GpuBar(panel)));

        await using (var db = InterceptedCrossTenant())
        {
            (await db.Tenants.SingleAsync(t => t.Id == Tenant.Id)).ChangeTierByOperator(SubscriptionTier.Professional, Now);
            await db.SaveChangesAsync();
        }
        Clock.Advance(TimeSpan.FromSeconds(10));

        panel.WaitForAssertion(() => Assert.DoesNotContain("0 / 50 h", GpuBar(panel)));
    }

    private PortalDbContext InterceptedCrossTenant()
    {
        var tenant = new TenantContext();
        tenant.BeginCrossTenantScope("test arrangement");
        return new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>()
            .UseSqlite(Database.ConnectionString).AddInterceptors(new TenantDataVersionInterceptor(_versions)).Options, tenant);
    }

    private IRenderedComponent<TenantUsagePanel> RenderUsagePanel()
    {
        var access = SignInInteractivelyAs(TenantRole.Viewer);
        Render<MudPopoverProvider>();
        return Render<TenantUsagePanel>(p => p.Add(x => x.Access, access));
    }

    private static string GpuBar(IRenderedComponent<TenantUsagePanel> panel) =>
        System.Text.RegularExpressions.Regex.Replace(panel.Find(".usage-bar[data-metric='gpu_hours']").TextContent, @"\s+", " ");
}
