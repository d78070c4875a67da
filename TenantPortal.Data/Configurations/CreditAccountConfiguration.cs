using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Configurations;

internal sealed class CreditAccountConfiguration : IEntityTypeConfiguration<CreditAccount>
{
    public void Configure(EntityTypeBuilder<CreditAccount> b)
    {
        b.ToTable("CreditAccounts");
        b.HasKey(a => a.TenantId);
        // The alert fires once per crossing: two evaluations of the same crossing can't both count it.
        b.Property(a => a.LowBalanceAlerts).IsConcurrencyToken();
        b.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
