using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;

namespace TenantPortal.Tests.Core;

public class RolePolicyTests
{
    [Theory]
    [InlineData(TenantPermission.ViewOverview, TenantRole.Viewer)]
    [InlineData(TenantPermission.ViewUsage, TenantRole.Viewer)]
    [InlineData(TenantPermission.ViewTeam, TenantRole.Member)]
    [InlineData(TenantPermission.InviteMembers, TenantRole.Admin)]
    [InlineData(TenantPermission.RemoveMembers, TenantRole.Admin)]
    [InlineData(TenantPermission.ChangeRoles, TenantRole.Admin)]
    [InlineData(TenantPermission.EditSettings, TenantRole.Admin)]
    [InlineData(TenantPermission.ManageApiKeys, TenantRole.Admin)]
    [InlineData(TenantPermission.ViewBilling, TenantRole.Admin)]
    [InlineData(TenantPermission.ViewAuditLog, TenantRole.Admin)]
    [InlineData(TenantPermission.ManageSubscription, TenantRole.Owner)]
    [InlineData(TenantPermission.DeleteTenant, TenantRole.Owner)]
    [InlineData(TenantPermission.TransferOwnership, TenantRole.Owner)]
    public void Allows_ExactlyTheRolesFromTheMinimumUp(TenantPermission permission, TenantRole minimum)
    {
        foreach (var role in Enum.GetValues<TenantRole>())
            Assert.Equal(role >= minimum, RolePolicy.Allows(role, permission));
    }

    [Fact]
    public void EveryPermission_HasAMinimumRole()
    {
        foreach (var permission in Enum.GetValues<TenantPermission>())
            _ = RolePolicy.MinimumRole(permission);
    }

    [Fact]
    public void CanChangeRole_RefusesEscalation_AboveTheActorsOwnRole()
    {
        var result = RolePolicy.CanChangeRole(TenantRole.Admin, TenantRole.Member, TenantRole.Owner, ownerCount: 1);

        Assert.Equal(ErrorCodes.RoleEscalation, result.Error?.Code);
    }

    [Fact]
    public void CanChangeRole_RefusesAnAdmin_TouchingAnOwner()
    {
        var result = RolePolicy.CanChangeRole(TenantRole.Admin, TenantRole.Owner, TenantRole.Admin, ownerCount: 2);

        Assert.Equal(ErrorCodes.Forbidden, result.Error?.Code);
    }

    [Fact]
    public void CanChangeRole_RefusesDemotingTheLastOwner()
    {
        var result = RolePolicy.CanChangeRole(TenantRole.Owner, TenantRole.Owner, TenantRole.Admin, ownerCount: 1);

        Assert.Equal(ErrorCodes.LastOwner, result.Error?.Code);
    }

    [Fact]
    public void CanChangeRole_AllowsAnOwner_DemotingAnotherOwner_WhenTwoRemain()
    {
        Assert.True(RolePolicy.CanChangeRole(TenantRole.Owner, TenantRole.Owner, TenantRole.Admin, ownerCount: 2).IsSuccess);
    }

    [Fact]
    public void CanChangeRole_AllowsAnAdmin_PromotingAMemberToAdmin()
    {
        Assert.True(RolePolicy.CanChangeRole(TenantRole.Admin, TenantRole.Member, TenantRole.Admin, ownerCount: 1).IsSuccess);
    }

    [Fact]
    public void CanChangeRole_RefusesAMember()
    {
        Assert.Equal(ErrorCodes.Forbidden, RolePolicy.CanChangeRole(TenantRole.Member, TenantRole.Viewer, TenantRole.Viewer, 1).Error?.Code);
    }

    [Fact]
    public void CanRemove_RefusesTheLastOwner_AndAnAdminRemovingAnOwner()
    {
        Assert.Equal(ErrorCodes.LastOwner, RolePolicy.CanRemove(TenantRole.Owner, TenantRole.Owner, ownerCount: 1).Error?.Code);
        Assert.Equal(ErrorCodes.Forbidden, RolePolicy.CanRemove(TenantRole.Admin, TenantRole.Owner, ownerCount: 2).Error?.Code);
        Assert.True(RolePolicy.CanRemove(TenantRole.Admin, TenantRole.Viewer, ownerCount: 1).IsSuccess);
    }

    [Fact]
    public void CanLeave_RefusesTheLastOwner_Only()
    {
        Assert.Equal(ErrorCodes.LastOwner, RolePolicy.CanLeave(TenantRole.Owner, ownerCount: 1).Error?.Code);
        Assert.True(RolePolicy.CanLeave(TenantRole.Owner, ownerCount: 2).IsSuccess);
        Assert.True(RolePolicy.CanLeave(TenantRole.Viewer, ownerCount: 1).IsSuccess);
    }

    [Fact]
    public void CanInvite_RefusesARoleAboveTheActors()
    {
        Assert.Equal(ErrorCodes.RoleEscalation, RolePolicy.CanInvite(TenantRole.Admin, TenantRole.Owner).Error?.Code);
        Assert.True(RolePolicy.CanInvite(TenantRole.Admin, TenantRole.Admin).IsSuccess);
        Assert.Equal(ErrorCodes.Forbidden, RolePolicy.CanInvite(TenantRole.Member, TenantRole.Viewer).Error?.Code);
    }
}
