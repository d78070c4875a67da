using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Scim;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Configurations;

internal sealed class ScimTokenConfiguration : IEntityTypeConfiguration<ScimToken>
{
    /// <summary>The table (tenant-owned: under row-level security on SQL Server and PostgreSQL).</summary>
    public const string Table = "ScimTokens";

    public void Configure(EntityTypeBuilder<ScimToken> b)
    {
        b.ToTable(Table);
        b.HasKey(k => k.Id);
        b.Property(k => k.Name).HasMaxLength(FieldLengths.Name).IsRequired();
        b.Property(k => k.Prefix).HasMaxLength(ScimToken.PrefixLength).IsRequired();
        b.HasIndex(k => k.Prefix).IsUnique();
        b.Property(k => k.SecretHash).HasMaxLength(FieldLengths.Sha256Hex).IsFixedLength().IsRequired();
        b.HasIndex(k => k.SecretHash).IsUnique();
        b.Property(k => k.CreatedByUserId).HasMaxLength(FieldLengths.UserId).IsRequired();
        b.HasIndex(k => k.TenantId);
        b.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
