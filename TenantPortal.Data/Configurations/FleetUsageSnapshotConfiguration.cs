using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services;

namespace TenantPortal.Data.Configurations;

internal sealed class FleetUsageSnapshotConfiguration : IEntityTypeConfiguration<FleetUsageSnapshot>
{
    public void Configure(EntityTypeBuilder<FleetUsageSnapshot> b)
    {
        b.ToTable("FleetUsageSnapshots");
        b.HasKey(s => s.TenantId);
        b.Property(s => s.TenantId).ValueGeneratedNever();
        // The quota-state filters (≥ 90 %, ≥ 100 %) and the over-quota count seek this index.
        b.HasIndex(s => s.MaxPercent);
        b.HasOne<Tenant>().WithOne().HasForeignKey<FleetUsageSnapshot>(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
