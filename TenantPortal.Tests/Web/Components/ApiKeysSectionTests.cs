using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services.ApiKeys;
using TenantPortal.Web.Components.Tenant.Settings;

namespace TenantPortal.Tests.Web.Components;

/// <summary>The API keys section against the plan's <c>max_api_keys</c> (the bUnit tenant is on Starter: 5 live keys).</summary>
public class ApiKeysSectionTests : TenantComponentTestContext
{
    public ApiKeysSectionTests() => Services.AddSingleton(new ApiKeyCache(TimeProvider.System));

    private async Task AddKeysAsync(int count, bool revoked = false)
    {
        await using var db = Database.CrossTenant();
        for (var i = 0; i < count; i++)
        {
            var secret = "tp_live_" + SecretHasher.NewToken();
            db.ApiKeys.Add(new ApiKey
            {
                TenantId = Tenant.Id, Name = $"key {i}", Prefix = secret[..ApiKey.PrefixLength], SecretHash = SecretHasher.Sha256Hex(secret),
                Scopes = ApiKeyScopes.Default, CreatedAt = DateTimeOffset.UtcNow, CreatedByUserId = "test", RevokedAt = revoked ? DateTimeOffset.UtcNow : null,
            });
        }
        await db.SaveChangesAsync();
    }

    private IRenderedComponent<ApiKeysSection> RenderSection()
    {
        var access = SignInAs(TenantRole.Admin);
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
        var section = Render<ApiKeysSection>(p => p.Add(x => x.Access, access).Add(x => x.Actor, ActorOf(TenantRole.Admin)));
        section.WaitForElement("#api-key-allowance");
        return section;
    }

    [Fact]
    public async Task Section_ShowsTheLiveKeysAgainstThePlansLimit_AndLeavesCreateEnabledBelowIt()
    {
        await AddKeysAsync(3);
        await AddKeysAsync(2, revoked: true);

        var section = RenderSection();

        Assert.Equal("3 of 5 keys in use on your plan.", section.Find("#api-key-allowance").TextContent.Trim());
        Assert.False(section.Find("#api-key-create").HasAttribute("disabled"));
        Assert.Empty(section.FindAll("#api-key-limit-reason"));
    }

    [Fact]
    public async Task Section_DisablesCreate_WithTheReason_AtThePlansLimit()
    {
        await AddKeysAsync(5);

        var section = RenderSection();

        Assert.StartsWith("5 of 5 keys in use on your plan.", section.Find("#api-key-allowance").TextContent.Trim());
        Assert.True(section.Find("#api-key-create").HasAttribute("disabled"));
        Assert.Contains("Your plan allows 5 keys and 5 are live. Revoke one you no longer need", section.Find("#api-key-limit-reason").TextContent);
        Assert.Equal("api-key-allowance", section.Find("#api-key-create").GetAttribute("aria-describedby"));
        await using var db = Database.CrossTenant();
        Assert.Equal(5, await db.ApiKeys.CountAsync());
    }
}
