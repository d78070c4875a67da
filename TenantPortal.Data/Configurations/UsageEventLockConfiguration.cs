using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Configurations;

internal sealed class UsageEventLockConfiguration : IEntityTypeConfiguration<UsageEventLock>
{
    public void Configure(EntityTypeBuilder<UsageEventLock> b)
    {
        b.ToTable("UsageEventLocks");
        // One active correction per event: a second one, even concurrent, is refused by this key.
        b.HasKey(l => new { l.TenantId, l.UsageEventId });
        b.HasIndex(l => l.CorrectionRowId);
        b.HasOne<UsageCorrection>().WithMany().HasForeignKey(l => l.CorrectionRowId).OnDelete(DeleteBehavior.Cascade);
    }
}
