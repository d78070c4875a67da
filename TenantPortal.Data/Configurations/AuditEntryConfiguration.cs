using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditEntries");
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedOnAdd();
        b.Property(a => a.ActorUserId).HasMaxLength(FieldLengths.UserId);
        b.Property(a => a.Actor).HasMaxLength(FieldLengths.ShortText).IsRequired();
        b.Property(a => a.Action).HasMaxLength(100).IsRequired();
        b.Property(a => a.Target).HasMaxLength(FieldLengths.ShortText);
        b.Property(a => a.Details).HasMaxLength(FieldLengths.LongText);
        b.Property(a => a.IpAddress).HasMaxLength(45);
        // Audit entries outlive the tenant (no foreign key): the fleet log keeps what happened to a deleted tenant.
        b.HasIndex(a => new { a.TenantId, a.OccurredAt });
        b.HasIndex(a => a.OccurredAt);
    }
}
