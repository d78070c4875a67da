using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Configurations;

internal sealed class CreditNoteConfiguration : IEntityTypeConfiguration<CreditNote>
{
    public void Configure(EntityTypeBuilder<CreditNote> b)
    {
        b.ToTable("CreditNotes");
        b.HasKey(n => n.Id);
        b.Property(n => n.Number).HasMaxLength(60).IsRequired();
        // The next number of a period's sequence is taken by one settlement only: a racing one fails here and recomputes.
        b.HasIndex(n => new { n.TenantId, n.Number }).IsUnique();
        b.HasIndex(n => new { n.TenantId, n.UsagePeriodStart });
        b.HasIndex(n => n.InvoiceId);
        b.Property(n => n.InvoiceNumber).HasMaxLength(40).IsRequired();
        b.Property(n => n.Reason).HasMaxLength(CreditNote.ReasonMaxLength).IsRequired();
        b.Property(n => n.CorrectionId).HasMaxLength(CreditNote.CorrectionIdMaxLength);
        b.Property(n => n.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(n => n.Settlement).HasConversion<string>().HasMaxLength(20);
        b.Property(n => n.Currency).HasMaxLength(3).IsRequired();
        b.Property(n => n.StripeCreditNoteId).HasMaxLength(FieldLengths.ExternalId);
        b.HasMany(n => n.Lines).WithOne().HasForeignKey(l => l.CreditNoteId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Invoice>().WithMany().HasForeignKey(n => n.InvoiceId).OnDelete(DeleteBehavior.NoAction);
        b.HasOne<Tenant>().WithMany().HasForeignKey(n => n.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
