using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Identity;

namespace TenantPortal.Data.Configurations;

internal sealed class TenantMemberConfiguration : IEntityTypeConfiguration<TenantMember>
{
    public void Configure(EntityTypeBuilder<TenantMember> b)
    {
        b.ToTable("TenantMembers");
        b.HasKey(m => m.Id);
        b.Property(m => m.UserId).HasMaxLength(FieldLengths.UserId).IsRequired();
        b.Property(m => m.InvitedByUserId).HasMaxLength(FieldLengths.UserId);
        b.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(m => new { m.TenantId, m.UserId }).IsUnique();
        b.HasIndex(m => m.UserId);
        b.Property(m => m.ExternalId).HasMaxLength(FieldLengths.ExternalId);
        b.Property(m => m.GivenName).HasMaxLength(TenantMember.DirectoryNameLength);
        b.Property(m => m.FamilyName).HasMaxLength(TenantMember.DirectoryNameLength);
        b.Ignore(m => m.IsSuspended);
        b.Ignore(m => m.IsDirectoryLinked);
        b.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
