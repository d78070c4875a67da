using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Web.Components.Tenant.Settings;

namespace TenantPortal.Tests.Web.Components;

/// <summary>The danger zone's "Leave": refused before any click for the last owner, with the reason next to it.</summary>
public class DangerZoneSectionTests : TenantComponentTestContext
{
    [Fact]
    public void Leave_IsDisabledWithTheReason_ForTheLastOwner()
    {
        var access = SignInAs(TenantRole.Owner);
        Render<MudPopoverProvider>();

        var section = Render<DangerZoneSection>(p => p.Add(x => x.Access, access).Add(x => x.Actor, ActorOf(TenantRole.Owner)));

        section.WaitForAssertion(() => Assert.Contains("You are the last owner", section.Find("#leave-refusal").TextContent));
        Assert.True(section.Find("#leave-tenant").HasAttribute("disabled"));
        Assert.Equal("leave-refusal", section.Find("#leave-tenant").GetAttribute("aria-describedby"));
    }

    [Fact]
    public async Task Leave_IsOffered_ToAnOwner_WhenThereIsAnotherOwner()
    {
        await using (var db = Database.ForTenant(Tenant.Id))
        {
            var adminId = ActorOf(TenantRole.Admin).UserId;
            (await db.Members.SingleAsync(m => m.UserId == adminId)).Role = TenantRole.Owner;
            await db.SaveChangesAsync();
        }
        var access = SignInAs(TenantRole.Owner);
        Render<MudPopoverProvider>();

        var section = Render<DangerZoneSection>(p => p.Add(x => x.Access, access).Add(x => x.Actor, ActorOf(TenantRole.Owner)));

        section.WaitForAssertion(() => Assert.False(section.Find("#leave-tenant").HasAttribute("disabled")));
        Assert.Empty(section.FindAll("#leave-refusal"));
    }

    [Fact]
    public void Leave_IsOffered_ToAMember()
    {
        var access = SignInAs(TenantRole.Member);
        Render<MudPopoverProvider>();

        var section = Render<DangerZoneSection>(p => p.Add(x => x.Access, access).Add(x => x.Actor, ActorOf(TenantRole.Member)));

        section.WaitForAssertion(() => Assert.False(section.Find("#leave-tenant").HasAttribute("disabled")));
        Assert.Empty(section.FindAll("#leave-refusal"));
    }
}
