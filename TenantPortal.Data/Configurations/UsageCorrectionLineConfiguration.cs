using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Configurations;

internal sealed class UsageCorrectionLineConfiguration : IEntityTypeConfiguration<UsageCorrectionLine>
{
    public void Configure(EntityTypeBuilder<UsageCorrectionLine> b)
    {
        b.ToTable("UsageCorrectionLines");
        b.HasKey(l => l.Id);
        b.Property(l => l.Id).ValueGeneratedOnAdd();
        b.Property(l => l.ClientEventId).HasMaxLength(FieldLengths.ClientEventId).IsRequired();
        b.Property(l => l.Action).HasConversion<string>().HasMaxLength(20);
        b.Property(l => l.Metric).HasConversion<string>().HasMaxLength(20);
        b.Property(l => l.QuantityBefore).HasPrecision(20, UsageBatchRules.MaxQuantityDecimals);
        b.Property(l => l.QuantityAfter).HasPrecision(20, UsageBatchRules.MaxQuantityDecimals);
        b.Property(l => l.Delta).HasPrecision(20, UsageBatchRules.MaxQuantityDecimals);
        // The corrections an event has been part of (a backfilled event's origin).
        b.HasIndex(l => new { l.TenantId, l.UsageEventId });
        // The tenant's rows go with the correction (one cascade path: SQL Server refuses two).
    }
}
