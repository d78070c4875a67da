using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Scim;
using TenantPortal.Web.Components.Tenant.Settings;

namespace TenantPortal.Tests.Web.Components;

/// <summary>The Provisioning (SCIM) section: "not in your plan" on Starter; tokens shown once with the base URL and group mappings on Professional.</summary>
public class ScimSectionTests : TenantComponentTestContext
{
    public ScimSectionTests()
    {
        Services.AddScoped<ScimTokenService>();
        Services.AddScoped<ScimRoleMappingService>();
    }

    private async Task OnProfessionalAsync()
    {
        await using var db = Database.CrossTenant();
        await db.Tenants.Where(t => t.Id == Tenant.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Tier, SubscriptionTier.Professional));
    }

    private (IRenderedComponent<ScimSection> Section, IRenderedComponent<MudDialogProvider> Dialogs) RenderSection()
    {
        var access = SignInAs(TenantRole.Admin);
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var section = Render<ScimSection>(p => p.Add(x => x.Access, access).Add(x => x.Actor, ActorOf(TenantRole.Admin)));
        section.WaitForElement("#no-scim-tokens");
        return (section, dialogs);
    }

    [Fact]
    public void Section_OnAPlanWithoutScim_SaysSo_WithTheWayToUpgrade_AndOffersNoCreate()
    {
        var (section, _) = RenderSection();

        Assert.Contains("not in your plan", section.Find("#scim-not-included").TextContent);
        Assert.Equal($"/t/{Tenant.Slug}/billing", section.Find("#scim-not-included a").GetAttribute("href"));
        Assert.Empty(section.FindAll("#scim-token-create"));
        Assert.Empty(section.FindAll("#scim-group-map"));
    }

    [Fact]
    public async Task Create_ShowsTheTokenOnceWithTheBaseUrl_ListsItByPrefix_AndStoresOnlyItsHash()
    {
        await OnProfessionalAsync();
        var (section, dialogs) = RenderSection();
        Assert.Equal($"{PublicUrl}/scim/v2", section.Find("#scim-base-url").TextContent);

        section.Find("#scim-token-name").Input("Okta");
        section.Find("#scim-token-create").Click();

        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("#scim-token-secret")));
        var secret = dialogs.Find("#scim-token-secret").GetAttribute("value")!;
        Assert.StartsWith("tp_scim_", secret, StringComparison.Ordinal);
        Assert.Equal($"{PublicUrl}/scim/v2", dialogs.Find("#scim-token-base-url").GetAttribute("value"));
        section.WaitForAssertion(() => Assert.Contains(secret[..16] + "…", section.Find("#scim-tokens-table").TextContent));
        await using var db = Database.CrossTenant();
        var stored = await db.ScimTokens.SingleAsync();
        Assert.Equal(TenantPortal.Core.Common.SecretHasher.Sha256Hex(secret), stored.SecretHash);
        Assert.DoesNotContain(secret, section.Markup);
    }

    [Fact]
    public async Task Create_WithoutAName_SaysWhatToEnter_AndCreatesNothing()
    {
        await OnProfessionalAsync();
        var (section, _) = RenderSection();

        section.Find("#scim-token-create").Click();

        section.WaitForAssertion(() => Assert.Contains("Name the token", section.Find(".mud-input-helper-text.mud-input-error").TextContent));
        await using var db = Database.CrossTenant();
        Assert.Equal(0, await db.ScimTokens.CountAsync());
    }

    [Fact]
    public async Task MapGroup_AddsTheMapping_NormalizedWithItsRole()
    {
        await OnProfessionalAsync();
        var (section, _) = RenderSection();

        section.Find("#scim-group-name").Input("Portal-Admins");
        section.Find("#scim-group-map").Click();

        section.WaitForAssertion(() => Assert.Contains("portal-admins", section.Find("#scim-mappings-table").TextContent));
        Assert.Contains("Admin", section.Find("#scim-mappings-table").TextContent);
        Assert.Contains("Not yet", section.Find("#scim-mappings-table").TextContent);
    }
}
