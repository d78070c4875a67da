using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Configurations;

internal sealed class MeteringWatermarkConfiguration : IEntityTypeConfiguration<MeteringWatermark>
{
    public void Configure(EntityTypeBuilder<MeteringWatermark> b)
    {
        b.ToTable("MeteringWatermarks");
        b.HasKey(w => w.Name);
        b.Property(w => w.Name).HasMaxLength(50);
        b.HasData(new MeteringWatermark { Name = MeteringWatermark.Rollup, LastEventId = 0, UpdatedAt = DateTimeOffset.UnixEpoch });
        b.HasData(new MeteringWatermark { Name = Services.FleetSnapshotRefresher.WatermarkName, LastEventId = 0, UpdatedAt = DateTimeOffset.UnixEpoch });
    }
}
