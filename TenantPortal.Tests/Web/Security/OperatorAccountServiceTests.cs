using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Web.Security;

/// <summary>Operators invite operators (new people get a link to choose a password) and remove them, never the last one or themselves.</summary>
[Collection(PortalCollection.Name)]
public class OperatorAccountServiceTests(PortalAppFactory portal)
{
    private static readonly Uri ResetPage = new("http://portal.test/Account/ResetPassword");

    [Fact]
    public async Task AnOperator_InvitesSomeoneNew_WhoGetsALinkToChooseAPassword_AndCanBeRemovedAgain()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<OperatorAccountService>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var me = await OperatorAsync(users);
        var email = $"staff-{Guid.NewGuid():N}"[..14] + "@tenantportal.test";

        var invited = await accounts.InviteAsync(me, email, ResetPage);

        Assert.True(invited.IsSuccess, invited.Error?.Message);
        var user = (await users.FindByEmailAsync(email))!;
        Assert.True(await users.IsInRoleAsync(user, PortalRoles.Operator));
        Assert.Null(user.PasswordHash);
        var mail = Directory.GetFiles(Path.Combine(portal.DataDirectory, "mail"), "*.eml").Select(File.ReadAllText).Where(m => m.Contains(email)).ToList();
        Assert.Contains(mail, m => m.Contains("Account/ResetPassword?code="));
        Assert.Equal(ErrorCodes.Conflict, (await accounts.InviteAsync(me, email, ResetPage)).Error?.Code);
        Assert.Contains((await accounts.ListAsync(me)).Value, o => o.Email == email && !o.HasPassword);

        var removed = await accounts.RemoveAsync(me, user.Id);

        Assert.True(removed.IsSuccess);
        Assert.False(await users.IsInRoleAsync((await users.FindByEmailAsync(email))!, PortalRoles.Operator));
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check");
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Target == $"user:{email}"
            && (a.Action == AuditActions.OperatorInvited || a.Action == AuditActions.OperatorRemoved)));
    }

    [Fact]
    public async Task AnInvitation_IsRefused_ForATenantUser_ForABadEmail_AndRemovingYourselfIsRefused()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<OperatorAccountService>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var me = await OperatorAsync(users);
        var owner = (await users.FindByEmailAsync("owner@acme.test"))!;

        var byTenantUser = await accounts.InviteAsync(new Actor(owner.Id, "owner@acme.test"), "someone@example.test", ResetPage);
        var badEmail = await accounts.InviteAsync(me, "not-an-email", ResetPage);
        var self = await accounts.RemoveAsync(me, me.UserId);

        Assert.Equal(ErrorCodes.Forbidden, byTenantUser.Error?.Code);
        Assert.Equal(("invalid", "email"), (badEmail.Error!.Code, badEmail.Error.Field!));
        Assert.Equal(ErrorCodes.Conflict, self.Error?.Code);
        Assert.Null(await users.FindByEmailAsync("someone@example.test"));
        Assert.Equal(ErrorCodes.Forbidden, (await accounts.ListAsync(new Actor(owner.Id, "owner@acme.test"))).Error?.Code);
    }

    [Fact]
    public async Task Locking_IsForOperatorsOnly_WithAReason_NeverYourself_AndIsAuditedWithoutATenant()
    {
        var member = await SessionAccounts.MemberAsync(portal);
        await using var scope = portal.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<OperatorAccountService>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var me = await OperatorAsync(users);
        var owner = (await users.FindByEmailAsync("owner@acme.test"))!;

        Assert.Equal(ErrorCodes.Forbidden, (await accounts.LockAsync(new Actor(owner.Id, "owner@acme.test"), member.UserId, "no", CancellationToken.None)).Error?.Code);
        Assert.Equal(("invalid", "reason"), ((await accounts.LockAsync(me, member.UserId, "  ", CancellationToken.None)).Error?.Code, (await accounts.LockAsync(me, member.UserId, null, CancellationToken.None)).Error?.Field));
        Assert.Equal(ErrorCodes.Conflict, (await accounts.LockAsync(me, me.UserId, "testing", CancellationToken.None)).Error?.Code);
        Assert.Equal(ErrorCodes.NotFound, (await accounts.LockAsync(me, "no-such-user", "testing", CancellationToken.None)).Error?.Code);
        Assert.Empty((await accounts.LockedAsync(me, [member.UserId], CancellationToken.None)).Value);
        Assert.False(await users.IsLockedOutAsync((await users.FindByIdAsync(member.UserId))!));

        Assert.True((await accounts.LockAsync(me, member.UserId, "Reported stolen laptop", CancellationToken.None)).IsSuccess);
        Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(member.UserId))!));
        Assert.Equal([member.UserId], (await accounts.LockedAsync(me, [member.UserId, me.UserId], CancellationToken.None)).Value);
        Assert.Equal(ErrorCodes.Forbidden, (await accounts.LockedAsync(new Actor(owner.Id, "owner@acme.test"), [member.UserId], CancellationToken.None)).Error?.Code);

        Assert.True((await accounts.UnlockAsync(me, member.UserId, "Laptop found", CancellationToken.None)).IsSuccess);
        Assert.False(await users.IsLockedOutAsync((await users.FindByIdAsync(member.UserId))!));

        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check");
        var entries = await db.AuditEntries.Where(a => a.Target == $"user:{member.Email}").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([(AuditActions.OperatorAccountLocked, "Reported stolen laptop"), (AuditActions.OperatorAccountUnlocked, "Laptop found")],
            entries.Select(e => (e.Action, e.Details!)));
        Assert.All(entries, e => Assert.Null(e.TenantId));
    }

    private static async Task<Actor> OperatorAsync(UserManager<PortalUser> users)
    {
        var op = (await users.FindByEmailAsync(PortalAppFactory.OperatorEmail))!;
        return new Actor(op.Id, op.Email!);
    }
}
