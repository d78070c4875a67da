using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Configurations;

internal sealed class QuotaOverrideConfiguration : IEntityTypeConfiguration<QuotaOverride>
{
    public void Configure(EntityTypeBuilder<QuotaOverride> b)
    {
        b.ToTable("QuotaOverrides");
        b.HasKey(o => o.Id);
        b.Property(o => o.Metric).HasConversion<string>().HasMaxLength(20);
        b.Property(o => o.Limit).HasPrecision(20, 6);
        b.Property(o => o.Reason).HasMaxLength(FieldLengths.LongText);
        b.HasIndex(o => new { o.TenantId, o.Metric }).IsUnique();
    }
}
