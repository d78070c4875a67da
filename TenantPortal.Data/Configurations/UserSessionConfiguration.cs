using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services.Sessions;

namespace TenantPortal.Data.Configurations;

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> b)
    {
        b.ToTable("UserSessions");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).HasMaxLength(DatabaseUserSessionStore.IdLength).ValueGeneratedNever();
        b.Property(s => s.UserId).HasMaxLength(FieldLengths.UserId).IsRequired();
        b.Property(s => s.Ticket).IsRequired();
        b.Property(s => s.IpAddress).HasMaxLength(45);
        b.Property(s => s.UserAgent).HasMaxLength(DatabaseUserSessionStore.UserAgentLength);
        // A user's sessions are listed and ended together; the cleanup job finds ended ones by expiry.
        b.HasIndex(s => s.UserId);
        b.HasIndex(s => s.ExpiresAt);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
