using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Edge;

/// <summary>
/// The Production portal on a real port for <see cref="HostileInputSweepTests"/>, with one of everything a route can
/// name: a tenant with an owner who can log in, a member, a pending invitation and an invoice; an API key with every
/// scope; and an operator who may open <c>/ops</c> without a second factor (so that its pages are swept too).
/// </summary>
public sealed class HostileInputSweepFixture : IAsyncLifetime
{
    public const string OwnerPassword = "Sweep-Owner-Password-2026";

    public SweepPortal Portal { get; } = new();

    public string Slug { get; private set; } = "";
    public Guid TenantId { get; private set; }
    public string MemberId { get; private set; } = "";
    public Guid InvitationId { get; private set; }
    public string InvoiceNumber { get; private set; } = "";
    public string ApiKey { get; private set; } = "";

    /// <summary>The <c>Cookie</c> header of the signed-in owner, and of the signed-in operator.</summary>
    public string OwnerCookie { get; private set; } = "";
    public string OperatorCookie { get; private set; } = "";

    /// <summary>Every route of the endpoint table.</summary>
    public IReadOnlyList<RouteEndpoint> Endpoints => Portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    public async Task InitializeAsync()
    {
        await Portal.InitializeAsync();
        Slug = $"sweep-{Guid.NewGuid():N}"[..20];
        var ownerEmail = $"owner-{Guid.NewGuid():N}@sweep.test";
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            // Made as the portal makes them: a user who registers, then creates a workspace on a paid plan (a trial).
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var owner = new PortalUser { UserName = ownerEmail, Email = ownerEmail, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
            Assert.True((await users.CreateAsync(owner, OwnerPassword)).Succeeded);
            var created = await scope.ServiceProvider.GetRequiredService<TenantService>()
                .CreateAsync(new Actor(owner.Id, ownerEmail), new CreateTenantRequest("Sweep", Slug, SubscriptionTier.Professional), CancellationToken.None);
            Assert.True(created.IsSuccess, created.Error?.Message);
            TenantId = created.Value.TenantId;
        }
        MemberId = (await Teams.AddMemberAsync(Portal, Slug, TenantRole.Member)).Id;
        InvitationId = await Teams.InviteAsync(Portal, Slug, $"sweep-{Guid.NewGuid():N}@example.test");
        ApiKey = await ApiKeys.CreateByAsync(Portal, Slug, ownerEmail);
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
            var tenant = await db.Tenants.SingleAsync(t => t.Id == TenantId);
            var october = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
            var invoice = InvoiceComposer.Compose(tenant, october, new PeriodUsage(200_000, 0, 0), october.AddMonths(1).AddDays(1));
            db.Invoices.Add(invoice);
            await db.SaveChangesAsync();
            InvoiceNumber = invoice.Number;
        }
        OwnerCookie = await LogInAsync(ownerEmail, OwnerPassword);
        OperatorCookie = await LogInAsync(PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword);
        // Each caller gets in where the sweep sends it, so that hostile input reaches the pages and operations themselves.
        await AssertOkAsync($"/t/{Slug}", r => r.Headers.TryAddWithoutValidation("Cookie", OwnerCookie));
        await AssertOkAsync($"/t/{Slug}/billing/invoices/{InvoiceNumber}", r => r.Headers.TryAddWithoutValidation("Cookie", OwnerCookie));
        await AssertOkAsync($"/ops/tenants/{TenantId}", r => r.Headers.TryAddWithoutValidation("Cookie", OperatorCookie));
        await AssertOkAsync("/api/v1/tenant", r => r.Headers.Authorization = new("Bearer", ApiKey));
    }

    /// <summary>Logs in through the form over the public host; returns the <c>Cookie</c> header that carries the session.</summary>
    public async Task<string> LogInAsync(string email, string password)
    {
        var cookies = new CookieContainer();
        using var client = Portal.CreatePublicHostClient(cookies);
        using var login = await AccountClient.LogInAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return cookies.GetCookieHeader(Portal.ServerAddress);
    }

    private async Task AssertOkAsync(string path, Action<HttpRequestMessage> credentials)
    {
        using var client = Portal.CreatePublicHostClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        credentials(request);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
    }

    public Task DisposeAsync() => ((IAsyncLifetime)Portal).DisposeAsync();

    /// <summary>The production portal with operators allowed in without a second factor.</summary>
    public sealed class SweepPortal : KestrelProductionPortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Operator:RequireTwoFactor", "false");
        }
    }
}
