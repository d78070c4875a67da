using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;

namespace TenantPortal.Tests.Core;

public class ApiKeyScopePolicyTests
{
    [Theory]
    [InlineData(TenantPermission.ViewUsage, ApiKeyScopes.UsageRead)]
    [InlineData(TenantPermission.ViewTeam, ApiKeyScopes.MembersRead)]
    [InlineData(TenantPermission.InviteMembers, ApiKeyScopes.MembersWrite)]
    [InlineData(TenantPermission.ChangeRoles, ApiKeyScopes.MembersWrite)]
    [InlineData(TenantPermission.RemoveMembers, ApiKeyScopes.MembersWrite)]
    [InlineData(TenantPermission.EditSettings, ApiKeyScopes.TenantWrite)]
    [InlineData(TenantPermission.ViewBilling, ApiKeyScopes.BillingRead)]
    [InlineData(TenantPermission.ManageSubscription, ApiKeyScopes.BillingWrite)]
    [InlineData(TenantPermission.ViewAuditLog, ApiKeyScopes.AuditRead)]
    public void Allows_NeedsTheScopeOfThePermission(TenantPermission permission, string scope)
    {
        Assert.True(ApiKeyScopePolicy.Allows([scope], permission));
        Assert.False(ApiKeyScopePolicy.Allows(ApiKeyScopes.All.Where(s => s != scope).ToList(), permission));
    }

    [Theory]
    [InlineData(TenantPermission.ManageApiKeys)]
    [InlineData(TenantPermission.DeleteTenant)]
    [InlineData(TenantPermission.TransferOwnership)]
    [InlineData(TenantPermission.ManageSecurity)]
    public void Allows_NeverGivesAKeyTheOwnersAndKeyManagementRights_WhateverItsScopes(TenantPermission permission) =>
        Assert.False(ApiKeyScopePolicy.Allows(ApiKeyScopes.All, permission));

    [Fact]
    public void EveryPermission_HasARule_AndEveryKeyMayReadItsTenant()
    {
        foreach (var permission in Enum.GetValues<TenantPermission>())
            _ = ApiKeyScopePolicy.RequiredScope(permission);
        Assert.True(ApiKeyScopePolicy.Allows([ApiKeyScopes.UsageWrite], TenantPermission.ViewOverview));
    }

    [Fact]
    public void ActingRole_IsAdmin_ExceptOwnerForTheSubscription()
    {
        Assert.Equal(TenantRole.Admin, ApiKeyScopePolicy.ActingRole(TenantPermission.ChangeRoles));
        Assert.Equal(TenantRole.Owner, ApiKeyScopePolicy.ActingRole(TenantPermission.ManageSubscription));
    }

    [Fact]
    public void Validate_GivesTheUsageScopes_WhenNothingIsChosen_AndTheCanonicalOrderOtherwise()
    {
        Assert.Equal(ApiKeyScopes.Default, ApiKeyScopePolicy.Validate(null, TenantRole.Admin).Value);
        Assert.Equal("usage:read members:read audit:read",
            ApiKeyScopePolicy.Validate(["audit:read", " members:read", "usage:read", "members:read"], TenantRole.Admin).Value);
    }

    [Theory]
    [InlineData(new string[0], ErrorCodes.Invalid)]
    [InlineData(new[] { "   " }, ErrorCodes.Invalid)]
    [InlineData(new[] { "usage:read", "admin:all" }, ErrorCodes.Invalid)]
    [InlineData(new[] { "billing:write" }, ErrorCodes.RoleEscalation)]
    public void Validate_RefusesEmptyUnknownAndEscalatingChoices_ForAnAdmin(string[] scopes, string code)
    {
        var result = ApiKeyScopePolicy.Validate(scopes, TenantRole.Admin);

        Assert.False(result.IsSuccess);
        Assert.Equal(code, result.Error!.Code);
        Assert.Equal("scopes", result.Error.Field);
    }

    [Fact]
    public void Validate_LetsAnOwnerGiveBillingWrite() =>
        Assert.Equal("billing:write", ApiKeyScopePolicy.Validate(["billing:write"], TenantRole.Owner).Value);
}
