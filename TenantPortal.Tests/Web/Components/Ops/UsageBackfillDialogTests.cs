using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Metering.Corrections;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Components.Ops;

namespace TenantPortal.Tests.Web.Components.Ops;

/// <summary>
/// The operators' backfill dialog over SQLite with the real preview and corrections services: a bad file lists its
/// problems by line and column; a good one previews its totals and bill effect, and Apply (with a reason) stores one
/// correction of backfilled events.
/// </summary>
public class UsageBackfillDialogTests : BunitTestContext, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private const string OperatorId = "backfill-operator";
    private readonly SqliteTestDatabase _database = new();
    private readonly TenantContext _tenantContext = new();
    private Guid _tenantId;

    public UsageBackfillDialogTests()
    {
        Services.AddSingleton<ITenantContext>(_tenantContext);
        Services.AddSingleton<IDbContextFactory<PortalDbContext>>(new TestContextFactory(_database, _tenantContext));
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        Services.AddSingleton<AuditWriter>();
        Services.AddSingleton<IUsageCommitBarrier>(new SqliteUsageCommitBarrier());
        Services.AddScoped<UsageCorrectionWriter>();
        Services.AddScoped<UsageCorrectionService>();
        Services.AddScoped<BackfillPreviewService>();
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.CrossTenant();
        var tenant = new TenantBuilder().WithSlug("backfill").OnPlan(SubscriptionTier.Starter).CreatedAt(Now.AddMonths(-3)).At(Now).Build();
        db.Tenants.Add(tenant);
        var role = new IdentityRole(PortalRoles.Operator) { NormalizedName = PortalRoles.Operator.ToUpperInvariant() };
        db.Roles.Add(role);
        db.Users.Add(new PortalUser { Id = OperatorId, UserName = "ops@portal.test", NormalizedUserName = "OPS@PORTAL.TEST", Email = "ops@portal.test", CreatedAt = Now });
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = OperatorId, RoleId = role.Id });
        await db.SaveChangesAsync();
        _tenantId = tenant.Id;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task AFileWithProblems_ListsThemByLineAndColumn_AndApplyStaysDisabled()
    {
        var provider = await OpenAsync();

        Upload(provider, "id,metric,quantity,timestamp\ne-1,api_calls,ten,2026-11-02T00:00:00Z\ne-2,storage_gb,1,2026-11-02T00:00:00Z");

        provider.WaitForAssertion(() => Assert.Equal(["Line 2, quantity", "Line 3, metric"],
            provider.FindAll("li.backfill-error").Select(li => $"Line {li.GetAttribute("data-line")}, {li.GetAttribute("data-column")}")));
        Assert.True(provider.Find("#backfill-apply").HasAttribute("disabled"));
    }

    [Fact]
    public async Task AGoodFile_IsPreviewed_AndAppliedAsOneCorrection_OnceAReasonIsGiven()
    {
        var provider = await OpenAsync();

        Upload(provider, "id,metric,quantity,timestamp\ne-1,api_calls,60000,2026-11-02T00:00:00Z\ne-2,api_calls,45000,2026-11-03T00:00:00Z");

        provider.WaitForAssertion(() => Assert.Equal("2 events", provider.Find("#backfill-events").TextContent));
        // November is running: 105,000 calls on Starter is 5,000 over, $5.00 more on the estimate.
        var effect = provider.Find("tr.backfill-effect");
        Assert.Equal(("RunningEstimate", "500"), (effect.GetAttribute("data-kind"), effect.GetAttribute("data-amount")));
        Assert.True(provider.Find("#backfill-apply").HasAttribute("disabled"));
        provider.Find("#backfill-reason").Input("Batch lost by the customer's collector");
        provider.WaitForAssertion(() => Assert.False(provider.Find("#backfill-apply").HasAttribute("disabled")));
        provider.Find("#backfill-apply").Click();

        var result = await _dialog!.Result.WaitAsync(TestTimeouts.Generous);
        Assert.False(result!.Canceled);
        await using var db = _database.CrossTenant();
        var correction = await db.UsageCorrections.Include(c => c.Lines).SingleAsync(c => c.TenantId == _tenantId);
        Assert.Equal((result.Data, "Batch lost by the customer's collector", 2), (correction.CorrectionId, correction.Reason, correction.Lines.Count));
        Assert.Equal(105_000m, await db.UsageEvents.Where(e => e.TenantId == _tenantId).SumAsync(e => e.Quantity));
    }

    private IDialogReference? _dialog;

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync()
    {
        Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        var parameters = new DialogParameters<UsageBackfillDialog> { { d => d.TenantId, _tenantId }, { d => d.Actor, new Actor(OperatorId, "ops@portal.test", null) } };
        _dialog = await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<UsageBackfillDialog>("", parameters));
        provider.WaitForElement("#backfill-file");
        return provider;
    }

    private static void Upload(IRenderedComponent<MudDialogProvider> provider, string csv) =>
        provider.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "backfill.csv"));
}
