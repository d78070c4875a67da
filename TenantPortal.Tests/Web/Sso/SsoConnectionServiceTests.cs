using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Sso;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Sso;

/// <summary>The single sign-on settings: validation, the plan, the secret's protection, audit, verified domains, deletion.</summary>
[Collection(PortalCollection.Name)]
public sealed class SsoConnectionServiceTests(PortalAppFactory portal) : IAsyncLifetime
{
    private TestOidcProvider _idp = default!;

    public async Task InitializeAsync() => _idp = await TestOidcProvider.StartAsync();

    public async Task DisposeAsync() => await _idp.DisposeAsync();

    [Fact]
    public async Task Configure_RefusesADomainTheTenantHasNotVerified_AndChangesNothing()
    {
        var sso = await SsoTestBed.CreateAsync(portal, provider: null);

        var result = await SsoTestBed.ConfigureAsync(portal, sso.Team.Slug, sso.Team.Admin,
            new SsoSettingsInput(_idp.Issuer.ToString(), "client", "secret", [sso.Domain, "not-ours.test"], TenantRole.Member, false));

        Assert.Equal(ErrorCodes.Invalid, result.Error?.Code);
        Assert.Equal("allowedDomains", result.Error?.Field);
        Assert.Contains("not-ours.test", result.Error?.Message);
        Assert.False((await Settings(sso)).Configured);
    }

    [Theory]
    [InlineData(TenantRole.Owner, "defaultRole")]
    public async Task Configure_RefusesOwnerAsTheDefaultRole(TenantRole role, string field)
    {
        var sso = await SsoTestBed.CreateAsync(portal, provider: null);

        var result = await SsoTestBed.ConfigureAsync(portal, sso.Team.Slug, sso.Team.Admin,
            new SsoSettingsInput(_idp.Issuer.ToString(), "client", "secret", [sso.Domain], role, false));

        Assert.Equal(field, result.Error?.Field);
    }

    [Fact]
    public async Task Configure_NeedsASecretTheFirstTime()
    {
        var sso = await SsoTestBed.CreateAsync(portal, provider: null);

        var result = await SsoTestBed.ConfigureAsync(portal, sso.Team.Slug, sso.Team.Admin,
            new SsoSettingsInput(_idp.Issuer.ToString(), "client", null, [sso.Domain], TenantRole.Member, false));

        Assert.Equal("clientSecret", result.Error?.Field);
    }

    [Fact]
    public async Task Configure_IsRefused_WhenThePlanDoesNotIncludeSso()
    {
        var sso = await SsoTestBed.CreateAsync(portal, provider: null, tier: SubscriptionTier.Starter);

        var result = await SsoTestBed.ConfigureAsync(portal, sso.Team.Slug, sso.Team.Admin,
            new SsoSettingsInput(_idp.Issuer.ToString(), "client", "secret", [sso.Domain], TenantRole.Member, false));
        var settings = await Settings(sso);

        Assert.Equal(ErrorCodes.FeatureNotIncluded, result.Error?.Code);
        Assert.Equal("Single sign-on is not included in the Starter plan. Upgrade to Professional or Enterprise to use it.", result.Error?.Message);
        Assert.False(settings.Entitled);
        Assert.False(settings.Configured);
    }

    [Fact]
    public async Task Member_CantReadOrChangeTheSettings()
    {
        var sso = await SsoTestBed.CreateAsync(portal, provider: null);

        var read = await SsoTestBed.AsAsync(portal, sso.Team.Slug, sso.Team.Member, (s, a) => s.GetAsync(a, CancellationToken.None));
        var change = await SsoTestBed.ConfigureAsync(portal, sso.Team.Slug, sso.Team.Member,
            new SsoSettingsInput(_idp.Issuer.ToString(), "client", "secret", [sso.Domain], TenantRole.Member, false));

        Assert.Equal(ErrorCodes.Forbidden, read.Error?.Code);
        Assert.Equal(ErrorCodes.Forbidden, change.Error?.Code);
    }

    [Fact]
    public async Task Secret_IsStoredProtected_NeverReturnedOrAudited_AndKeptWhenNotReplaced()
    {
        var sso = await SsoTestBed.CreateAsync(portal, provider: null);
        const string secret = "very-secret-client-secret-0123456789";

        var first = await SsoTestBed.ConfigureAsync(portal, sso.Team.Slug, sso.Team.Admin,
            new SsoSettingsInput(_idp.Issuer.ToString(), "client-a", secret, [sso.Domain], TenantRole.Viewer, false));
        var second = await SsoTestBed.ConfigureAsync(portal, sso.Team.Slug, sso.Team.Admin,
            new SsoSettingsInput(_idp.Issuer.ToString(), "client-b", "", [sso.Domain], TenantRole.Admin, true));

        Assert.True(first.IsSuccess && second.IsSuccess);
        Assert.True(second.Value.SecretSet);
        Assert.DoesNotContain(secret, second.Value.ToString());
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using (scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check"))
        {
            var stored = await db.SsoConnections.SingleAsync(c => c.Id == second.Value.ConnectionId);
            Assert.DoesNotContain(secret, stored.ProtectedClientSecret);
            Assert.Equal(2, stored.Version);
        }
        var client = await scope.ServiceProvider.GetRequiredService<SsoDirectory>().FindClientAsync(second.Value.ConnectionId!.Value, CancellationToken.None);
        Assert.Equal(secret, client?.ClientSecret);
        Assert.Equal("client-b", client?.ClientId);
        Assert.Equal(TenantRole.Admin, client?.DefaultRole);
        var audit = (await ApiKeys.AuditAsync(portal, sso.Team.Slug)).Where(a => a.Action == AuditActions.SsoConfigured).ToList();
        Assert.Equal(2, audit.Count);
        Assert.All(audit, a => Assert.DoesNotContain(secret, a.Details ?? ""));
        Assert.All(audit, a => Assert.Equal(sso.Team.Admin.Id, a.ActorUserId));
    }

    [Fact]
    public async Task Domain_ThatLosesItsVerification_StopsSendingPeopleToTheProvider()
    {
        var sso = await SsoTestBed.CreateAsync(portal, _idp);
        await using var scope = portal.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<SsoDirectory>();
        Assert.Equal(sso.ConnectionId, (await directory.FindForEmailAsync($"someone@{sso.Domain.ToUpperInvariant()}", CancellationToken.None))?.ConnectionId);

        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using (scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement"))
        {
            var domain = await db.TenantDomains.SingleAsync(d => d.Name == sso.Domain);
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < TenantPortal.Core.Domains.TenantDomain.FailedChecksBeforeUnverified; i++)
                domain.RecordFailedCheck(now.AddDays(i));
            await db.SaveChangesAsync();
        }

        Assert.Null(await directory.FindForEmailAsync($"someone@{sso.Domain}", CancellationToken.None));
        Assert.Null(await directory.FindClientAsync(sso.ConnectionId, CancellationToken.None));
        Assert.DoesNotContain(sso.Domain, (await Settings(sso)).EffectiveDomains);
    }

    [Fact]
    public async Task TestConnection_SaysWhatTheDiscoveryDocumentHolds()
    {
        var sso = await SsoTestBed.CreateAsync(portal, provider: null);

        var report = await SsoTestBed.AsAsync(portal, sso.Team.Slug, sso.Team.Admin, (s, a) => s.TestAsync(a, _idp.Issuer.ToString(), CancellationToken.None));
        var otherName = await SsoTestBed.AsAsync(portal, sso.Team.Slug, sso.Team.Admin, (s, a) => s.TestAsync(a, _idp.OtherName.ToString(), CancellationToken.None));
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var nothing = await SsoTestBed.AsAsync(portal, sso.Team.Slug, sso.Team.Admin, (s, a) => s.TestAsync(a, $"http://127.0.0.1:{port}/", CancellationToken.None));

        Assert.True(report.IsSuccess, report.Error?.Message);
        Assert.True(report.Value.Usable);
        Assert.EndsWith("/connect/authorize", report.Value.AuthorizationEndpoint);
        Assert.False(otherName.Value.IssuerMatches);
        Assert.False(otherName.Value.Usable);
        Assert.Equal("issuer", nothing.Error?.Field);
        Assert.Contains("could not be reached", nothing.Error?.Message);
    }

    [Theory]
    [InlineData("https://127.0.0.1:{0}/")]
    [InlineData("https://localhost:{0}/")]
    public async Task Provider_AtALoopbackAddress_IsNeverContacted_WhenPrivateAddressesAreNotAllowed(string issuer)
    {
        // A provider is an address an admin typed: outside tests the portal connects to public addresses only, checked
        // after DNS (as for webhooks), so an admin can't make the portal read its own network.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            await using var strict = portal.WithWebHostBuilder(b => b.UseSetting("Sso:AllowHttpIssuers", "false"));
            using var scope = strict.Services.CreateScope();

            var read = await scope.ServiceProvider.GetRequiredService<SsoDiscovery>()
                .ReadAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, issuer, port), CancellationToken.None);

            Assert.Equal("issuer", read.Error?.Field);
            Assert.Contains("public address", read.Error?.Message);
            Assert.False(listener.Pending(), "the portal connected to the loopback provider");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task DeletingTheTenant_DeletesItsConnection()
    {
        var sso = await SsoTestBed.CreateAsync(portal, _idp);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<TenantAccessService>().EnterAsync(sso.Team.Slug, sso.Team.Owner.Id, false, CancellationToken.None)).IsSuccess);
            var deleted = await scope.ServiceProvider.GetRequiredService<TenantService>()
                .DeleteAsync(new Actor(sso.Team.Owner.Id, sso.Team.Owner.Email), sso.Team.Slug, CancellationToken.None);
            Assert.True(deleted.IsSuccess, deleted.Error?.Message);
        }

        await using var check = portal.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = check.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check");
        Assert.False(await db.SsoConnections.AnyAsync(c => c.Id == sso.ConnectionId));
    }

    [Theory]
    [InlineData("", false, "Enter the issuer")]
    [InlineData("login.example.com", false, "absolute URL")]
    [InlineData("http://login.example.com/", false, "https://")]
    [InlineData("https://login.example.com/?tenant=1", false, "query")]
    [InlineData("http://127.0.0.1:5000/", true, null)]
    [InlineData("https://login.example.com/tenant/", false, null)]
    public void Issuer_IsHttpsAbsoluteAndPlain_HttpOnlyWhenAllowed(string issuer, bool allowHttp, string? refusal)
    {
        var result = SsoIssuer.Validate(issuer, allowHttp);

        if (refusal is null)
            Assert.True(result.IsSuccess);
        else
            Assert.Contains(refusal, result.Error?.Message);
    }

    private Task<SsoSettings> Settings(SsoTestBed.SsoTeam sso) =>
        SsoTestBed.AsAsync(portal, sso.Team.Slug, sso.Team.Admin, async (s, a) => (await s.GetAsync(a, CancellationToken.None)).Value);
}
