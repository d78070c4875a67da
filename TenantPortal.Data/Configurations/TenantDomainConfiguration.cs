using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Domains;

namespace TenantPortal.Data.Configurations;

internal sealed class TenantDomainConfiguration : IEntityTypeConfiguration<TenantDomain>
{
    /// <summary>The table (tenant-owned: under row-level security on SQL Server and PostgreSQL).</summary>
    public const string Table = "TenantDomains";

    /// <summary>Longest verification token stored.</summary>
    public const int TokenLength = 64;

    public void Configure(EntityTypeBuilder<TenantDomain> b)
    {
        b.ToTable(Table);
        b.HasKey(d => d.Id);
        b.Property(d => d.Name).HasMaxLength(FieldLengths.HostName).IsRequired();
        b.Property(d => d.VerificationToken).HasMaxLength(TokenLength).IsRequired();
        b.Property(d => d.Affiliation).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.AffiliationRole).HasConversion<string>().HasMaxLength(20);
        b.Ignore(d => d.IsVerified);
        b.Ignore(d => d.RecordName);
        b.Ignore(d => d.RecordValue);
        // A tenant claims a name once; many tenants may claim it, one holds it verified.
        b.HasIndex(d => new { d.TenantId, d.Name }).IsUnique();
        b.HasIndex(d => d.Name).IsUnique().HasFilter("[VerifiedAt] IS NOT NULL").HasDatabaseName("IX_TenantDomains_Name_Verified");
        b.HasOne<Core.Tenants.Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
