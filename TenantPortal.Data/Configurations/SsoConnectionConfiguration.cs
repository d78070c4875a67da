using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Sso;

namespace TenantPortal.Data.Configurations;

internal sealed class SsoConnectionConfiguration : IEntityTypeConfiguration<SsoConnection>
{
    /// <summary>The table (tenant-owned: under row-level security on SQL Server and PostgreSQL).</summary>
    public const string Table = "SsoConnections";

    public void Configure(EntityTypeBuilder<SsoConnection> b)
    {
        b.ToTable(Table);
        b.HasKey(c => c.Id);
        b.Property(c => c.Issuer).HasMaxLength(SsoConnection.IssuerLength).IsRequired();
        b.Property(c => c.ClientId).HasMaxLength(SsoConnection.ClientIdLength).IsRequired();
        b.Property(c => c.ProtectedClientSecret).HasMaxLength(SsoConnection.ProtectedSecretLength).IsRequired();
        b.Property(c => c.AllowedDomains).HasMaxLength(SsoConnection.AllowedDomainsLength).IsRequired();
        b.Property(c => c.DefaultRole).HasConversion<string>().HasMaxLength(20);
        b.Ignore(c => c.Domains);
        // One connection per tenant.
        b.HasIndex(c => c.TenantId).IsUnique();
        b.HasOne<Core.Tenants.Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
