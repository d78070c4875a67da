using System.Security.Claims;
using Bunit;
using Hangfire.InMemory;
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
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Components.Ops;
using TenantPortal.Web.Jobs;
using TenantPortal.Web.Security;

using TenantPortal.Tests.Builders;

namespace TenantPortal.Tests.Web.Components.Ops;

/// <summary>
/// The fleet grid with the real <see cref="FleetService"/> over SQLite: four named tenants and 26 fillers; each toolbar
/// filter narrows the rows the grid shows.
/// </summary>
public class OpsTenantsPageTests : BunitTestContext, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private const string OperatorId = "grid-operator";

    private readonly SqliteTestDatabase _database = new();
    private readonly TenantContext _tenantContext = new();
    private readonly InMemoryStorage _jobStorage = new();
    private readonly FakeTimeProvider _clock = new(Now);

    public OpsTenantsPageTests()
    {
        Services.AddSingleton<ITenantContext>(_tenantContext);
        Services.AddSingleton<IDbContextFactory<PortalDbContext>>(new TestContextFactory(_database, _tenantContext));
        Services.AddSingleton<TimeProvider>(_clock);
        Services.AddScoped<FleetService>();
        Services.AddScoped<CurrentUser>();
        Services.AddSingleton(new FailedJobsCounter(_jobStorage));
        // The row menus' actions: the operator service the tenant page uses, with what it needs.
        Services.AddSingleton<TenantPortal.Core.Notifications.IMailSender>(new CapturingMailSender());
        Services.AddSingleton<TenantPortal.Data.Services.Audit.AuditWriter>();
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new TenantPortal.Data.Options.BillingOptions()));
        Services.AddScoped<TenantPortal.Data.Services.Invitations.InvitationMailer>();
        Services.AddScoped<TenantPortal.Data.Services.Tenants.TenantCreator>();
        Services.AddScoped<TenantPortal.Data.Services.Metering.UsageReportService>();
        Services.AddScoped<TenantPortal.Data.Services.Operations.OperatorTenantService>();
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.CrossTenant();
        db.Tenants.Add(Tenant("Acme Corporation", "acme", SubscriptionTier.Free, TenantStatus.Active));
        db.Tenants.Add(Tenant("Globex", "globex", SubscriptionTier.Starter, TenantStatus.PastDue));
        db.Tenants.Add(Tenant("Initech", "initech", SubscriptionTier.Professional, TenantStatus.Trial, trialEndsAt: Now.AddDays(2)));
        var umbrella = Tenant("Umbrella", "umbrella", SubscriptionTier.Starter, TenantStatus.Active);
        db.Tenants.Add(umbrella);
        for (var i = 0; i < 26; i++)
            db.Tenants.Add(Tenant($"Filler {i:D2}", $"filler-{i:D2}", SubscriptionTier.Enterprise, TenantStatus.Active));
        db.UsageRollups.Add(new UsageRollup
        {
            TenantId = umbrella.Id, Metric = UsageMetric.ApiCalls, Granularity = RollupGranularity.Month,
            PeriodStart = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), Sum = 95_000, EventCount = 1, UpdatedAt = Now,
        });
        var role = new IdentityRole(PortalRoles.Operator) { NormalizedName = PortalRoles.Operator.ToUpperInvariant() };
        db.Roles.Add(role);
        db.Users.Add(new PortalUser { Id = OperatorId, UserName = "ops@portal.test", NormalizedUserName = "OPS@PORTAL.TEST", Email = "ops@portal.test", CreatedAt = Now });
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = OperatorId, RoleId = role.Id });
        await db.SaveChangesAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        _jobStorage.Dispose();
        await _database.DisposeAsync();
    }

    [Fact]
    public void Page_ShowsSummaryAndFirstPage_WithLinksToTheTenantPages()
    {
        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(25, Rows(page).Count));
        Assert.Contains("Acme Corporation", Rows(page)[0]);
        var summary = page.Find("#fleet-summary").TextContent;
        Assert.Contains("Tenants30", summary.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var link = page.FindAll("a.fleet-tenant-link").First(a => a.TextContent == "Acme Corporation");
        Assert.StartsWith("/ops/tenants/", link.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TierSelect_ShowsOnlyThatTier_WhenATierIsChosen()
    {
        var page = RenderPage();

        await page.InvokeAsync(() => page.FindComponent<MudSelect<SubscriptionTier?>>().Instance.ValueChanged.InvokeAsync(SubscriptionTier.Free));

        page.WaitForAssertion(() => Assert.Equal(["Acme Corporation"], Names(page)));
    }

    [Fact]
    public async Task FilterChange_StartsAgainFromTheFirstPage_WhenOnALaterPage()
    {
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(25, Rows(page).Count));
        await page.InvokeAsync(() => page.FindComponent<MudDataGrid<FleetTenantRow>>().Instance.NavigateTo(Page.Next));
        page.WaitForAssertion(() => Assert.Equal(5, Rows(page).Count));

        await page.InvokeAsync(() => page.FindComponent<MudSelect<SubscriptionTier?>>().Instance.ValueChanged.InvokeAsync(SubscriptionTier.Enterprise));

        page.WaitForAssertion(() => Assert.Equal(Enumerable.Range(0, 25).Select(i => $"Filler {i:D2}"), Names(page)));
    }

    [Fact]
    public async Task StatusSelect_ShowsOnlyThatStatus_WhenAStatusIsChosen()
    {
        var page = RenderPage();

        await page.InvokeAsync(() => page.FindComponent<MudSelect<TenantStatus?>>().Instance.ValueChanged.InvokeAsync(TenantStatus.Trial));

        page.WaitForAssertion(() => Assert.Equal(["Initech"], Names(page)));
    }

    [Fact]
    public async Task QuotaSelect_ShowsTenantsInTheRedBand_WhenNinetyPercentIsChosen()
    {
        var page = RenderPage();

        await page.InvokeAsync(() => page.FindComponent<MudSelect<FleetQuotaState>>().Instance.ValueChanged.InvokeAsync(FleetQuotaState.AtLeast90Percent));

        page.WaitForAssertion(() => Assert.Equal(["Umbrella"], Names(page)));
        Assert.NotEmpty(page.FindAll("#fleet-table tbody tr [data-band='Red']"));
    }

    [Fact]
    public void PastDueSwitch_ShowsOnlyPastDueTenants_WhenOn()
    {
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(25, Rows(page).Count));

        page.Find("input#fleet-pastdue").Change(true);

        page.WaitForAssertion(() => Assert.Equal(["Globex"], Names(page)));
    }

    [Fact]
    public void TrialSwitch_ShowsTrialsEndingWithinSevenDays_WhenOn()
    {
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(25, Rows(page).Count));

        page.Find("input#fleet-trial").Change(true);

        page.WaitForAssertion(() => Assert.Equal(["Initech"], Names(page)));
    }

    [Fact]
    public void SearchBox_FindsByName_AfterTheDebounce()
    {
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(25, Rows(page).Count));

        page.Find("input#fleet-search").Input("glob");
        // MudBlazor's debounce runs on the injected TimeProvider.
        _clock.Advance(TimeSpan.FromMilliseconds(400));

        page.WaitForAssertion(() => Assert.Equal(["Globex"], Names(page)));
    }

    [Fact]
    public async Task RowMenu_SuspendsTheTenant_AfterTheReasonDialog_WithoutLeavingTheList()
    {
        var page = RenderPage();
        var dialogs = Render<MudDialogProvider>();
        page.WaitForAssertion(() => Assert.Equal(25, Rows(page).Count));

        page.Find(".fleet-row-actions[data-slug='acme'] button").Click();
        _popovers!.WaitForElement(".fleet-action-suspend").Click();
        dialogs.WaitForElement("#action-reason").Input("Chargeback under review");
        dialogs.Find("#action-confirm").Click();

        page.WaitForAssertion(() => Assert.Contains("Suspended", Rows(page)[0]));
        await using var db = _database.CrossTenant();
        var acme = await db.Tenants.SingleAsync(t => t.Slug == "acme");
        Assert.Equal(TenantStatus.Suspended, acme.Status);
        Assert.Contains(await db.AuditEntries.IgnoreQueryFilters().Where(e => e.TenantId == acme.Id).Select(e => e.Details).ToListAsync(),
            d => d != null && d.Contains("Chargeback under review", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RowMenu_OffersOpenSuspendChangeTierAndExtendTrial_ForATrial()
    {
        var page = RenderPage();
        await page.InvokeAsync(() => page.FindComponent<MudSelect<TenantStatus?>>().Instance.ValueChanged.InvokeAsync(TenantStatus.Trial));
        page.WaitForAssertion(() => Assert.Equal(["Initech"], Names(page)));

        page.Find(".fleet-row-actions[data-slug='initech'] button").Click();

        _popovers!.WaitForAssertion(() => Assert.Equal(
            ["Open", "Suspend…", "Change tier…", "Extend trial…"],
            _popovers!.FindAll(".mud-menu-item").Select(i => i.TextContent.Trim()).ToList()));
    }

    private IRenderedComponent<MudPopoverProvider>? _popovers;

    private IRenderedComponent<OpsTenantsPage> RenderPage()
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized("ops@portal.test");
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, OperatorId));
        // As in the portal: the page runs in an interactive circuit (its row menus are disabled until then).
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        _popovers = Render<MudPopoverProvider>();
        return Render<OpsTenantsPage>();
    }

    private static List<string> Rows(IRenderedComponent<OpsTenantsPage> page) =>
        page.FindAll("#fleet-table tbody tr").Select(r => r.TextContent).ToList();

    private static List<string> Names(IRenderedComponent<OpsTenantsPage> page) =>
        page.FindAll("#fleet-table tbody a.fleet-tenant-link").Select(a => a.TextContent).ToList();

    private static Tenant Tenant(string name, string slug, SubscriptionTier tier, TenantStatus status, DateTimeOffset? trialEndsAt = null)
    {
        var builder = new TenantBuilder().WithName(name).WithSlug(slug).OnPlan(tier).WithStatus(status).CreatedAt(Now.AddDays(-10)).At(Now);
        if (trialEndsAt is { } end)
            builder.WithTrialEndingAt(end);
        return builder.Build();
    }
}
