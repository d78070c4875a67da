using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Configurations;

internal sealed class CreditNoteLineConfiguration : IEntityTypeConfiguration<CreditNoteLine>
{
    public void Configure(EntityTypeBuilder<CreditNoteLine> b)
    {
        b.ToTable("CreditNoteLines");
        b.HasKey(l => l.Id);
        b.Property(l => l.Metric).HasConversion<string>().HasMaxLength(20);
        b.Property(l => l.Description).HasMaxLength(FieldLengths.ShortText).IsRequired();
        b.Property(l => l.Quantity).HasPrecision(28, 6);
        b.Property(l => l.UnitPriceCents).HasPrecision(20, 6);
        b.HasIndex(l => new { l.TenantId, l.UsagePeriodStart });
    }
}
