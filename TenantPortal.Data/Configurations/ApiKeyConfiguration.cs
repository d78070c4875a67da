using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("ApiKeys");
        b.HasKey(k => k.Id);
        b.Property(k => k.Name).HasMaxLength(FieldLengths.Name).IsRequired();
        b.Property(k => k.Prefix).HasMaxLength(ApiKey.PrefixLength).IsRequired();
        b.HasIndex(k => k.Prefix).IsUnique();
        b.Property(k => k.SecretHash).HasMaxLength(FieldLengths.Sha256Hex).IsFixedLength().IsRequired();
        b.HasIndex(k => k.SecretHash).IsUnique();
        b.Property(k => k.Scopes).HasMaxLength(FieldLengths.ShortText).IsRequired();
        b.Property(k => k.CreatedByUserId).HasMaxLength(FieldLengths.UserId).IsRequired();
        b.HasIndex(k => k.TenantId);
        b.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
