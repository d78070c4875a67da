using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services.ApiKeys;
using TenantPortal.Web.Components.Tenant;
using TenantPortal.Web.Components.Tenant.Settings;

namespace TenantPortal.Tests.Web.Components;

/// <summary>The Security card of the Settings tab: shown to Owners only, and its switch goes through the service's rules.</summary>
public class SecuritySectionTests : TenantComponentTestContext
{
    public SecuritySectionTests() => Services.AddSingleton(new ApiKeyCache(TimeProvider.System));

    [Theory]
    [InlineData(TenantRole.Owner, true)]
    [InlineData(TenantRole.Admin, false)]
    [InlineData(TenantRole.Member, false)]
    public void SettingsPanel_ShowsTheSecurityCard_ToOwnersOnly(TenantRole role, bool shown)
    {
        var access = SignInAs(role);
        Render<MudPopoverProvider>();

        var panel = Render<TenantSettingsPanel>(p => p.Add(x => x.Access, access).Add(x => x.Section, SettingsSection.Security));

        panel.WaitForAssertion(() => Assert.True(panel.FindAll("#security-section, #tab-not-allowed").Count == 1));
        Assert.Equal(shown, panel.FindAll("#security-section").Count == 1);
        Assert.Equal(shown, panel.FindAll("#settings-nav-security").Count == 1);
    }

    [Fact]
    public async Task Switch_IsRefusedWithTheReason_ForAnOwnerWithoutTwoFactor()
    {
        var access = SignInAs(TenantRole.Owner);
        var section = Render<SecuritySection>(p => p.Add(x => x.Access, access).Add(x => x.Actor, ActorOf(TenantRole.Owner)));
        section.WaitForAssertion(() => Assert.Single(section.FindAll("#security-section input[type=checkbox]")));

        await section.InvokeAsync(() => section.Find("#security-section input[type=checkbox]").Change(true));

        section.WaitForAssertion(() => Assert.Contains("Set up two-factor authentication for your own account first", section.Find("#require-owner-2fa-error").TextContent));
        Assert.False(await RequiredAsync());
    }

    [Fact]
    public async Task Switch_TurnsTheRequirementOnAndOff_ForAnOwnerWithTwoFactor()
    {
        var access = SignInAs(TenantRole.Owner);
        await using (var db = Database.CrossTenant())
            await db.Users.Where(u => u.Email == EmailOf(TenantRole.Owner)).ExecuteUpdateAsync(s => s.SetProperty(u => u.TwoFactorEnabled, true));
        var section = Render<SecuritySection>(p => p.Add(x => x.Access, access).Add(x => x.Actor, ActorOf(TenantRole.Owner)));
        section.WaitForAssertion(() => Assert.Single(section.FindAll("#security-section input[type=checkbox]")));

        await section.InvokeAsync(() => section.Find("#security-section input[type=checkbox]").Change(true));
        section.WaitForAssertion(() => Assert.True(section.Find("#security-section input[type=checkbox]").HasAttribute("checked")));
        Assert.True(await RequiredAsync());

        await section.InvokeAsync(() => section.Find("#security-section input[type=checkbox]").Change(false));
        section.WaitForAssertion(() => Assert.False(section.Find("#security-section input[type=checkbox]").HasAttribute("checked")));
        Assert.False(await RequiredAsync());
        await using var check = Database.CrossTenant();
        Assert.Equal(2, await check.AuditEntries.CountAsync(e => e.Action == AuditActions.OwnerTwoFactorChanged));
    }

    private async Task<bool> RequiredAsync()
    {
        await using var db = Database.CrossTenant();
        return await db.Tenants.Where(t => t.Id == Tenant.Id).Select(t => t.RequireOwnerTwoFactor).SingleAsync();
    }
}
