using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Configurations;

internal sealed class ApiRefusalDayConfiguration : IEntityTypeConfiguration<ApiRefusalDay>
{
    public void Configure(EntityTypeBuilder<ApiRefusalDay> b)
    {
        b.ToTable("ApiRefusalDays");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedOnAdd();
        b.Property(r => r.Reason).HasMaxLength(20).IsRequired();
        b.HasIndex(r => new { r.TenantId, r.Day, r.Reason }).IsUnique();
        b.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
