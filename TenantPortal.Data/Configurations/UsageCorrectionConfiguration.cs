using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Configurations;

internal sealed class UsageCorrectionConfiguration : IEntityTypeConfiguration<UsageCorrection>
{
    public void Configure(EntityTypeBuilder<UsageCorrection> b)
    {
        b.ToTable("UsageCorrections");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedOnAdd();
        b.Property(c => c.CorrectionId).HasMaxLength(FieldLengths.ClientEventId).IsRequired();
        // Idempotency: the same correction id twice, even concurrently, is one correction.
        b.HasIndex(c => new { c.TenantId, c.CorrectionId }).IsUnique();
        b.Property(c => c.Reason).HasMaxLength(UsageCorrectionRules.MaxReasonLength).IsRequired();
        b.Property(c => c.RequestHash).HasMaxLength(FieldLengths.Sha256Hex).IsFixedLength().IsRequired();
        b.Property(c => c.CreatedByUserId).HasMaxLength(FieldLengths.UserId).IsRequired();
        b.Property(c => c.CreatedBy).HasMaxLength(FieldLengths.ShortText).IsRequired();
        b.Property(c => c.RevertedBy).HasMaxLength(FieldLengths.ShortText);
        b.Property(c => c.RevertReason).HasMaxLength(UsageCorrectionRules.MaxReasonLength);
        b.Property(c => c.ConcurrencyStamp).IsConcurrencyToken();
        b.Ignore(c => c.IsActive);
        b.HasMany(c => c.Lines).WithOne().HasForeignKey(l => l.CorrectionRowId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
