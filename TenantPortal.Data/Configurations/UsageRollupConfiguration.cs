using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Configurations;

internal sealed class UsageRollupConfiguration : IEntityTypeConfiguration<UsageRollup>
{
    public void Configure(EntityTypeBuilder<UsageRollup> b)
    {
        b.ToTable("UsageRollups");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedOnAdd();
        b.Property(r => r.Metric).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.Granularity).HasConversion<string>().HasMaxLength(10);
        b.Property(r => r.Sum).HasPrecision(28, 6);
        b.Property(r => r.LastValue).HasPrecision(20, 6);
        b.Property(r => r.LevelHours).HasPrecision(28, 6);
        b.HasIndex(r => new { r.TenantId, r.Metric, r.Granularity, r.PeriodStart }).IsUnique();
        b.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
