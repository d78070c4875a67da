using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Webhooks;

namespace TenantPortal.Data.Configurations;

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    /// <summary>The table (tenant-owned: under row-level security on SQL Server and PostgreSQL).</summary>
    public const string Table = "WebhookAttempts";

    public void Configure(EntityTypeBuilder<WebhookAttempt> b)
    {
        b.ToTable(Table);
        b.HasKey(a => a.Id);
        b.Property(a => a.Error).HasMaxLength(WebhookDelivery.ErrorLength);
        b.HasIndex(a => new { a.DeliveryId, a.Number }).IsUnique();
        b.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}
