using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Notifications;
using TenantPortal.Data.Identity;

namespace TenantPortal.Data.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("Notifications");
        b.HasKey(n => n.Id);
        b.Property(n => n.UserId).HasMaxLength(FieldLengths.UserId).IsRequired();
        b.Property(n => n.Title).HasMaxLength(FieldLengths.ShortText).IsRequired();
        b.Property(n => n.Message).HasMaxLength(FieldLengths.LongText).IsRequired();
        b.Property(n => n.Link).HasMaxLength(FieldLengths.ShortText);
        b.Property(n => n.Severity).HasConversion<string>().HasMaxLength(20);
        b.Property(n => n.DeduplicationKey).HasMaxLength(FieldLengths.ShortText);
        b.HasIndex(n => new { n.UserId, n.ReadAt });
        b.HasIndex(n => new { n.UserId, n.DeduplicationKey }).IsUnique().HasFilter("[DeduplicationKey] IS NOT NULL");
        b.HasOne<PortalUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
