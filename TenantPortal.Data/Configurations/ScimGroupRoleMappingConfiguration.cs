using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Scim;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Configurations;

internal sealed class ScimGroupRoleMappingConfiguration : IEntityTypeConfiguration<ScimGroupRoleMapping>
{
    /// <summary>The table (tenant-owned: under row-level security on SQL Server and PostgreSQL).</summary>
    public const string Table = "ScimGroupRoleMappings";

    public void Configure(EntityTypeBuilder<ScimGroupRoleMapping> b)
    {
        b.ToTable(Table);
        b.HasKey(m => m.Id);
        b.Property(m => m.GroupName).HasMaxLength(ScimGroup.DisplayNameLength).IsRequired();
        b.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(m => new { m.TenantId, m.GroupName }).IsUnique();
        b.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
