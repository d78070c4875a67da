using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Scim;

namespace TenantPortal.Data.Configurations;

internal sealed class ScimGroupMemberConfiguration : IEntityTypeConfiguration<ScimGroupMember>
{
    /// <summary>The table (tenant-owned: under row-level security on SQL Server and PostgreSQL).</summary>
    public const string Table = "ScimGroupMembers";

    public void Configure(EntityTypeBuilder<ScimGroupMember> b)
    {
        b.ToTable(Table);
        b.HasKey(m => new { m.GroupId, m.MemberId });
        b.HasIndex(m => new { m.TenantId, m.MemberId });
        // The group cascades (and it from the tenant); no key to the membership: see ScimGroupMember.
        b.HasOne<ScimGroup>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}
