using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Configurations;

internal sealed class CreditConsumptionConfiguration : IEntityTypeConfiguration<CreditConsumption>
{
    public void Configure(EntityTypeBuilder<CreditConsumption> b)
    {
        b.ToTable("CreditConsumptions");
        b.HasKey(c => c.Id);
        b.Property(c => c.InvoiceNumber).HasMaxLength(FieldLengths.ShortText).IsRequired();
        // An invoice draws on a grant once: a second run composing the same invoice can't consume again.
        b.HasIndex(c => new { c.InvoiceId, c.GrantId }).IsUnique();
        b.HasIndex(c => new { c.TenantId, c.At });
        b.HasOne<CreditGrant>().WithMany().HasForeignKey(c => c.GrantId).OnDelete(DeleteBehavior.Cascade);
    }
}
