using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Configurations;

internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> b)
    {
        b.ToTable("Invoices");
        b.HasKey(i => i.Id);
        b.Property(i => i.Number).HasMaxLength(40).IsRequired();
        b.HasIndex(i => i.Number).IsUnique();
        // One invoice per tenant and period: the invoicing job can run twice without billing twice.
        b.HasIndex(i => new { i.TenantId, i.PeriodStart }).IsUnique();
        b.Property(i => i.Tier).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(i => i.Status);
        b.Property(i => i.Currency).HasMaxLength(3).IsRequired();
        b.Property(i => i.StripeInvoiceId).HasMaxLength(FieldLengths.ExternalId);
        b.HasIndex(i => i.StripeInvoiceId).IsUnique().HasFilter("[StripeInvoiceId] IS NOT NULL");
        b.Property(i => i.HostedUrl).HasMaxLength(FieldLengths.LongText);
        b.HasMany(i => i.Lines).WithOne().HasForeignKey(l => l.InvoiceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
