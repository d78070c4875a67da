using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Scim;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Configurations;

internal sealed class ScimGroupConfiguration : IEntityTypeConfiguration<ScimGroup>
{
    /// <summary>The table (tenant-owned: under row-level security on SQL Server and PostgreSQL).</summary>
    public const string Table = "ScimGroups";

    public void Configure(EntityTypeBuilder<ScimGroup> b)
    {
        b.ToTable(Table);
        b.HasKey(g => g.Id);
        b.Property(g => g.DisplayName).HasMaxLength(ScimGroup.DisplayNameLength).IsRequired();
        b.Property(g => g.NormalizedName).HasMaxLength(ScimGroup.DisplayNameLength).IsRequired();
        b.Property(g => g.ExternalId).HasMaxLength(FieldLengths.ExternalId);
        b.HasIndex(g => new { g.TenantId, g.NormalizedName }).IsUnique();
        b.HasOne<Tenant>().WithMany().HasForeignKey(g => g.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
