using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Configurations;

internal sealed class PlanSegmentConfiguration : IEntityTypeConfiguration<PlanSegment>
{
    public void Configure(EntityTypeBuilder<PlanSegment> b)
    {
        b.ToTable("PlanSegments");
        b.HasKey(s => s.Id);
        b.Property(s => s.Tier).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.Cycle).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(s => new { s.TenantId, s.StartsAt });
        b.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
