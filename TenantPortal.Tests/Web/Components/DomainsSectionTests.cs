using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TenantPortal.Core.Domains;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services.Domains;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Components.Tenant.Settings;

namespace TenantPortal.Tests.Web.Components;

/// <summary>The Domains settings section with the real domain services, asking a DNS responder the test controls.</summary>
public sealed class DomainsSectionTests : TenantComponentTestContext
{
    public DomainsSectionTests()
    {
        Services.AddLogging();
        // Made by the container, so that it is disposed with it.
        Services.AddSingleton(_ => new LocalDnsResponder());
        Services.AddSingleton<IConfiguration>(sp => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tenancy:DnsServer"] = sp.GetRequiredService<LocalDnsResponder>().Server,
            ["Tenancy:DnsTimeoutMilliseconds"] = "300",
            ["Tenancy:DnsRetries"] = "0",
        }).Build());
        Services.AddSingleton<TenantPortal.Data.Services.Members.MemberProvisioner>();
        Services.AddDomainServices();
    }

    private LocalDnsResponder Dns => Services.GetRequiredService<LocalDnsResponder>();

    private async Task<TenantDomain> SeedAsync(string name, bool verified)
    {
        await using var db = Database.ForTenant(Tenant.Id);
        var domain = TenantDomain.Claim(Tenant.Id, name, $"token-{name}", DateTimeOffset.UtcNow);
        if (verified)
            domain.MarkVerified(DateTimeOffset.UtcNow);
        db.TenantDomains.Add(domain);
        await db.SaveChangesAsync();
        return domain;
    }

    private IRenderedComponent<DomainsSection> RenderSection(TenantRole role = TenantRole.Admin)
    {
        var access = SignInAs(role);
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
        return Render<DomainsSection>(p => p.Add(x => x.Access, access).Add(x => x.Actor, ActorOf(role)));
    }

    [Fact]
    public async Task Section_ListsTheDomains_WithStatusAndTheTxtRecordToPublish_AndAffiliationOnlyForVerifiedOnes()
    {
        var verified = await SeedAsync("acme.example", verified: true);
        await SeedAsync("pending.example", verified: false);

        var section = RenderSection();
        section.WaitForElement("#domains-table");

        var rows = section.FindAll("#domains-table tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Equal("acme.example", rows[0].QuerySelector(".domain-name")!.TextContent);
        Assert.Equal("Verified", rows[0].QuerySelector(".domain-status")!.GetAttribute("data-status"));
        Assert.Equal("_tenantportal.acme.example", rows[0].QuerySelector(".domain-record-name")!.TextContent);
        Assert.Equal(verified.RecordValue, rows[0].QuerySelector(".domain-record-value")!.TextContent);
        Assert.NotNull(rows[0].QuerySelector(".domain-affiliation"));
        Assert.Equal("Pending", rows[1].QuerySelector(".domain-status")!.GetAttribute("data-status"));
        Assert.Null(rows[1].QuerySelector(".domain-affiliation"));
        Assert.Contains("Verify the domain first", rows[1].TextContent);
        Assert.Equal(2, rows[0].QuerySelectorAll("button[aria-label^='Copy the TXT record']").Length);
    }

    [Fact]
    public void Add_ShowsTheServicesMessageOnTheField_ForWhatIsNoDomain_AndAddsAValidOne()
    {
        var section = RenderSection();
        section.WaitForElement("#no-domains");

        section.Find("#domain-name").Input("localhost");
        section.Find("#domain-add").Click();
        section.WaitForAssertion(() => Assert.Contains("must be a host name", section.Markup));
        section.Find("#domain-name").Input("Acme.Example");
        section.Find("#domain-add").Click();

        section.WaitForAssertion(() => Assert.Equal("acme.example", section.Find("#domains-table .domain-name").TextContent), TestTimeouts.Generous);
        Assert.Equal("Pending", section.Find("#domains-table .domain-status").GetAttribute("data-status"));
    }

    [Fact]
    public async Task VerifyNow_SaysWhatDnsAnswered_InPlainWords_AndShowsTheNewStatus()
    {
        var domain = await SeedAsync("acme.example", verified: false);
        var section = RenderSection();
        section.WaitForElement("#domains-table");

        section.Find(".domain-verify").Click();
        section.WaitForAssertion(() => Assert.Equal("NotFound", section.Find("#domain-check-result").GetAttribute("data-outcome")), TestTimeouts.Generous);
        Assert.Contains("No TXT record was found at _tenantportal.acme.example", section.Find("#domain-check-result").TextContent);
        Dns.Txt[domain.RecordName] = [domain.RecordValue];
        section.Find(".domain-verify").Click();

        section.WaitForAssertion(() => Assert.Equal("Found", section.Find("#domain-check-result").GetAttribute("data-outcome")), TestTimeouts.Generous);
        Assert.Equal("Verified", section.Find("#domains-table .domain-status").GetAttribute("data-status"));
        Assert.NotNull(section.Find(".domain-affiliation"));
    }
}
