using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Members;
using TenantPortal.Core.Scim;
using TenantPortal.Data.Options;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Scim;

/// <summary>Deleting a tenant deletes its SCIM rows (tokens, groups, their members, role mappings) and leaves another tenant's.</summary>
public abstract class ScimTenantDeletionTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : ScimTenantDeletionTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : ScimTenantDeletionTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        await using var db = _bed.Database.CrossTenant();
        var now = _bed.Time.GetUtcNow();
        foreach (var tenantId in new[] { _bed.AlphaId, _bed.BetaId })
        {
            var prefix = $"tp_scim_{tenantId:N}"[..ScimToken.PrefixLength];
            db.ScimTokens.Add(new ScimToken { TenantId = tenantId, Name = "okta", Prefix = prefix, SecretHash = new string('a', 63) + (tenantId == _bed.AlphaId ? "1" : "2"), CreatedAt = now, CreatedByUserId = "x" });
            var group = new ScimGroup { TenantId = tenantId, DisplayName = "staff", NormalizedName = "staff", CreatedAt = now, UpdatedAt = now };
            db.ScimGroups.Add(group);
            var member = await db.Members.FirstAsync(m => m.TenantId == tenantId);
            db.ScimGroupMembers.Add(new ScimGroupMember { TenantId = tenantId, GroupId = group.Id, MemberId = member.Id });
            db.ScimGroupRoleMappings.Add(new ScimGroupRoleMapping { TenantId = tenantId, GroupName = "staff", Role = TenantRole.Admin, CreatedAt = now });
        }
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task DeletingATenant_DeletesItsScimRows_AndLeavesOtherTenantsRows()
    {
        var result = await _bed.In(_bed.AlphaId).Tenants.DeleteAsync(_bed.ActorOf("owner"), TenancyTestBed.AlphaSlug, CancellationToken.None);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.ScimTokens.AnyAsync(t => t.TenantId == _bed.AlphaId));
        Assert.False(await db.ScimGroups.AnyAsync(g => g.TenantId == _bed.AlphaId));
        Assert.False(await db.ScimGroupMembers.AnyAsync(m => m.TenantId == _bed.AlphaId));
        Assert.False(await db.ScimGroupRoleMappings.AnyAsync(m => m.TenantId == _bed.AlphaId));
        Assert.Equal(1, await db.ScimTokens.CountAsync(t => t.TenantId == _bed.BetaId));
        Assert.Equal(1, await db.ScimGroupMembers.CountAsync(m => m.TenantId == _bed.BetaId));
        Assert.Equal(1, await db.ScimGroupRoleMappings.CountAsync(m => m.TenantId == _bed.BetaId));
    }
}
