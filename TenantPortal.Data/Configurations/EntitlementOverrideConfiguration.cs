using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;

namespace TenantPortal.Data.Configurations;

internal sealed class EntitlementOverrideConfiguration : IEntityTypeConfiguration<EntitlementOverride>
{
    /// <summary>The table (tenant-owned: under row-level security on SQL Server and PostgreSQL).</summary>
    public const string Table = "EntitlementOverrides";

    /// <summary>Longest feature name stored.</summary>
    public const int FeatureLength = 40;

    public void Configure(EntityTypeBuilder<EntitlementOverride> b)
    {
        b.ToTable(Table);
        b.HasKey(o => o.Id);
        b.Property(o => o.Feature).HasMaxLength(FeatureLength).IsRequired();
        b.Property(o => o.Reason).HasMaxLength(FieldLengths.LongText).IsRequired();
        b.Property(o => o.CreatedBy).HasMaxLength(FieldLengths.ShortText).IsRequired();
        b.Ignore(o => o.Value);
        b.HasIndex(o => new { o.TenantId, o.Feature }).IsUnique();
        b.HasOne<Core.Tenants.Tenant>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
