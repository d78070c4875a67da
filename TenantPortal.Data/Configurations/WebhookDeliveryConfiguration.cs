using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Webhooks;

namespace TenantPortal.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    /// <summary>The table (tenant-owned: under row-level security on SQL Server and PostgreSQL).</summary>
    public const string Table = "WebhookDeliveries";

    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable(Table);
        b.HasKey(d => d.Id);
        b.Property(d => d.EventId).HasMaxLength(WebhookEvent.IdLength).IsRequired();
        b.Property(d => d.EventType).HasMaxLength(FieldLengths.Name).IsRequired();
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.LastError).HasMaxLength(WebhookDelivery.ErrorLength);
        // One delivery per event and endpoint, whoever dispatches and however often.
        b.HasIndex(d => new { d.EndpointId, d.EventId }).IsUnique();
        b.HasIndex(d => new { d.TenantId, d.CreatedAt });
        b.HasIndex(d => d.NextAttemptAt);
        b.HasIndex(d => d.EventId);
        b.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
        // No foreign key to the event: the tenant's deletion cascades to both tables, and SQL Server refuses a second cascade
        // path (a NO ACTION key would fail PostgreSQL's cascade when the events go before the endpoints' deliveries). The
        // dispatcher deletes an event's deliveries with it; a sender finding no event fails the delivery.
    }
}
