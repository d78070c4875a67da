using TenantPortal.Core.Members;
using TenantPortal.Core.Scim;
using TenantPortal.Data.Services.Scim;

namespace TenantPortal.Tests.Core.Scim;

public class ScimRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RoleFor_IsTheHighestMappedRole_ElseMember_AndNeverOwner()
    {
        var mappings = new Dictionary<string, TenantRole> { ["readers"] = TenantRole.Viewer, ["admins"] = TenantRole.Admin, ["owners"] = TenantRole.Owner };

        Assert.Equal(TenantRole.Admin, ScimRoleRules.RoleFor(["readers", "admins"], mappings));
        Assert.Equal(TenantRole.Viewer, ScimRoleRules.RoleFor(["readers", "unmapped"], mappings));
        Assert.Equal(TenantRole.Member, ScimRoleRules.RoleFor(["unmapped"], mappings));
        Assert.Equal(TenantRole.Member, ScimRoleRules.RoleFor(["owners"], mappings));
    }

    [Fact]
    public void Suspend_ThenReactivate_KeepsTheRole_AndEachReportsWhetherItChangedAnything()
    {
        var member = new TenantMember { Role = TenantRole.Admin };

        Assert.True(member.Suspend(Now));
        Assert.False(member.Suspend(Now.AddMinutes(1)));
        Assert.Equal(Now, member.SuspendedAt);
        Assert.True(member.Reactivate(Now.AddMinutes(2)));
        Assert.False(member.Reactivate(Now.AddMinutes(3)));
        Assert.Null(member.SuspendedAt);
        Assert.Equal(TenantRole.Admin, member.Role);
    }

    [Fact]
    public void ApplyDirectoryRole_NeverChangesAnOwner_NorMakesOne()
    {
        var owner = new TenantMember { Role = TenantRole.Owner };
        var member = new TenantMember { Role = TenantRole.Member };

        Assert.False(owner.ApplyDirectoryRole(TenantRole.Viewer, Now));
        Assert.False(member.ApplyDirectoryRole(TenantRole.Owner, Now));
        Assert.True(member.ApplyDirectoryRole(TenantRole.Viewer, Now));
        Assert.Equal(TenantRole.Owner, owner.Role);
        Assert.Equal(TenantRole.Viewer, member.Role);
    }

    [Theory]
    [InlineData("userName eq \"ann@acme.test\"", "userName", "ann@acme.test")]
    [InlineData("USERNAME EQ \"ann@acme.test\"", "userName", "ann@acme.test")]
    [InlineData("externalId eq \"00u \\\"1\\\"\"", "externalId", "00u \"1\"")]
    [InlineData("emails[type eq \"work\"].value eq \"ann@acme.test\"", "userName", "ann@acme.test")]
    [InlineData("emails.value eq \"ann@acme.test\"", "userName", "ann@acme.test")]
    public void Parse_ReadsTheSupportedUserFilters(string filter, string attribute, string value)
    {
        var parsed = ScimFilter.Parse(filter, forGroups: false);

        Assert.True(parsed.IsSuccess, parsed.Error?.Message);
        Assert.Equal(new ScimFilter(attribute, value), parsed.Value);
    }

    [Theory]
    [InlineData("displayName eq \"x\"", false)]
    [InlineData("userName eq \"x\"", true)]
    [InlineData("userName ne \"x\"", false)]
    [InlineData("userName eq \"x\" or userName eq \"y\"", false)]
    [InlineData("meta.lastModified gt \"2026-01-01\"", false)]
    public void Parse_RefusesOtherFilters_WithInvalidFilter(string filter, bool forGroups)
    {
        var parsed = ScimFilter.Parse(filter, forGroups);

        Assert.Equal(ScimErrorCodes.InvalidFilter, parsed.Error?.Code);
    }
}
