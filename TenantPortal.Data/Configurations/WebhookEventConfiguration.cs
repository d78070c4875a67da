using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Webhooks;

namespace TenantPortal.Data.Configurations;

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    /// <summary>The table (tenant-owned: under row-level security on SQL Server and PostgreSQL).</summary>
    public const string Table = "WebhookEvents";

    public void Configure(EntityTypeBuilder<WebhookEvent> b)
    {
        b.ToTable(Table);
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).HasMaxLength(WebhookEvent.IdLength);
        b.Property(e => e.Type).HasMaxLength(FieldLengths.Name).IsRequired();
        b.Property(e => e.Data).IsRequired();
        // The dispatcher's queue: undispatched events, oldest first.
        b.HasIndex(e => new { e.DispatchedAt, e.OccurredAt });
        b.HasIndex(e => e.TenantId);
        b.HasOne<Core.Tenants.Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
