using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Configurations;

internal sealed class UsageEventConfiguration : IEntityTypeConfiguration<UsageEvent>
{
    public void Configure(EntityTypeBuilder<UsageEvent> b)
    {
        b.ToTable("UsageEvents");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedOnAdd();
        b.Property(e => e.ClientEventId).HasMaxLength(FieldLengths.ClientEventId).IsRequired();
        // A repeated client event id is a duplicate: the database refuses it even when two requests race.
        b.HasIndex(e => new { e.TenantId, e.ClientEventId }).IsUnique();
        b.Property(e => e.Metric).HasConversion<string>().HasMaxLength(20);
        b.Property(e => e.Quantity).HasPrecision(20, UsageBatchRules.MaxQuantityDecimals);
        b.HasIndex(e => new { e.TenantId, e.Metric, e.Timestamp });
        b.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
