using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Invitations;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Configurations;

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> b)
    {
        b.ToTable("Invitations");
        b.HasKey(i => i.Id);
        b.Property(i => i.Email).HasMaxLength(FieldLengths.Email).IsRequired();
        b.Property(i => i.Role).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.TokenHash).HasMaxLength(FieldLengths.Sha256Hex).IsFixedLength().IsRequired();
        b.HasIndex(i => i.TokenHash).IsUnique();
        b.Property(i => i.InvitedByUserId).HasMaxLength(FieldLengths.UserId).IsRequired();
        b.Property(i => i.AcceptedByUserId).HasMaxLength(FieldLengths.UserId);
        b.HasIndex(i => new { i.TenantId, i.Status });
        b.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
