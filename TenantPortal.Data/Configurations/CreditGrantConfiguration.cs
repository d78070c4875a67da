using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Configurations;

internal sealed class CreditGrantConfiguration : IEntityTypeConfiguration<CreditGrant>
{
    public void Configure(EntityTypeBuilder<CreditGrant> b)
    {
        b.ToTable("CreditGrants");
        b.HasKey(g => g.Id);
        b.Property(g => g.Id).ValueGeneratedNever();
        b.Property(g => g.Source).HasConversion<string>().HasMaxLength(20);
        // Consumption, revocation and expiry all move the remainder: a change made on a stale read (two invoicing runs,
        // a revocation during invoicing) fails instead of spending the same cents twice.
        b.Property(g => g.RemainingCents).IsConcurrencyToken();
        b.Property(g => g.Reason).HasMaxLength(CreditRules.MaxReasonLength).IsRequired();
        b.Property(g => g.GrantedBy).HasMaxLength(FieldLengths.ShortText).IsRequired();
        b.Property(g => g.RevokedBy).HasMaxLength(FieldLengths.ShortText);
        b.Property(g => g.RevokeReason).HasMaxLength(CreditRules.MaxReasonLength);
        b.Property(g => g.CheckoutSessionId).HasMaxLength(FieldLengths.ShortText);
        b.HasIndex(g => new { g.TenantId, g.CreatedAt });
        // A Checkout session grants once, however often (and in whatever order) its webhook arrives.
        b.HasIndex(g => new { g.TenantId, g.CheckoutSessionId }).IsUnique();
        b.HasOne<Tenant>().WithMany().HasForeignKey(g => g.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
