using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TenantPortal.Core.Domains;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Domains;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Components.Pages;

namespace TenantPortal.Tests.Web.Components;

/// <summary>"Join Acme" on the home page: the workspace whose verified domain is the user's confirmed email domain.</summary>
public sealed class DomainOffersTests : TenantComponentTestContext
{
    private const string NewcomerEmail = "newcomer@t.test";

    public DomainOffersTests()
    {
        Services.AddLogging();
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Services.AddSingleton<TenantPortal.Data.Services.Members.MemberProvisioner>();
        Services.AddDomainServices();
    }

    private async Task<Actor> ArrangeAsync(int? seats = null)
    {
        await using var db = Database.CrossTenant();
        var domain = TenantDomain.Claim(Tenant.Id, "t.test", "token", DateTimeOffset.UtcNow);
        domain.MarkVerified(DateTimeOffset.UtcNow);
        domain.SetAffiliation(DomainAffiliation.Suggest, TenantRole.Member);
        db.TenantDomains.Add(domain);
        var user = new PortalUser
        {
            UserName = NewcomerEmail, NormalizedUserName = NewcomerEmail.ToUpperInvariant(), Email = NewcomerEmail,
            NormalizedEmail = NewcomerEmail.ToUpperInvariant(), EmailConfirmed = true,
        };
        db.Users.Add(user);
        if (seats is { } limit)
            db.Add(new QuotaOverride { TenantId = Tenant.Id, Metric = UsageMetric.Users, Limit = limit, Reason = "test", CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return new Actor(user.Id, NewcomerEmail);
    }

    private async Task<IRenderedComponent<DomainOffers>> RenderAsync(Actor actor)
    {
        var offers = await Services.GetRequiredService<DomainAffiliationService>().OffersAsync(actor.UserId, CancellationToken.None);
        Render<MudPopoverProvider>();
        return Render<DomainOffers>(p => p.Add(x => x.Offers, offers).Add(x => x.Actor, actor));
    }

    private async Task<TenantRole?> RoleOfAsync(Actor actor)
    {
        await using var db = Database.CrossTenant();
        return await db.Members.Where(m => m.UserId == actor.UserId).Select(m => (TenantRole?)m.Role).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task Join_MakesTheUserAMember_AndOpensTheWorkspace()
    {
        var actor = await ArrangeAsync();
        var offers = await RenderAsync(actor);

        Assert.Contains("Join " + Tenant.Name, offers.Find(".domain-offer-join").TextContent);
        offers.Find(".domain-offer-join").Click();

        offers.WaitForAssertion(() => Assert.EndsWith($"/t/{Tenant.Slug}", Services.GetRequiredService<NavigationManager>().Uri), TestTimeouts.Generous);
        Assert.Equal(TenantRole.Member, await RoleOfAsync(actor));
    }

    [Fact]
    public async Task Join_AFullWorkspace_SaysSo_AndChangesNothing()
    {
        var actor = await ArrangeAsync(seats: 4); // owner, admin, member, viewer

        var offers = await RenderAsync(actor);
        offers.Find(".domain-offer-join").Click();

        offers.WaitForAssertion(() => Assert.Contains("no free seat", offers.Find(".domain-offer-error").TextContent), TestTimeouts.Generous);
        Assert.Null(await RoleOfAsync(actor));
    }
}
