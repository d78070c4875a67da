using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Webhooks;

namespace TenantPortal.Data.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    /// <summary>The table (tenant-owned: under row-level security on SQL Server and PostgreSQL).</summary>
    public const string Table = "WebhookEndpoints";

    public void Configure(EntityTypeBuilder<WebhookEndpoint> b)
    {
        b.ToTable(Table);
        b.HasKey(e => e.Id);
        b.Property(e => e.Url).HasMaxLength(WebhookEndpoint.UrlLength).IsRequired();
        b.Property(e => e.Description).HasMaxLength(WebhookEndpoint.DescriptionLength);
        b.Property(e => e.Events).HasMaxLength(1000).IsRequired();
        b.Property(e => e.ProtectedSecret).HasMaxLength(1000).IsRequired();
        b.Property(e => e.PreviousProtectedSecret).HasMaxLength(1000);
        b.Property(e => e.Version).IsConcurrencyToken();
        b.Ignore(e => e.IsEnabled);
        b.Ignore(e => e.EventTypes);
        b.HasIndex(e => e.TenantId);
        b.HasOne<Core.Tenants.Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
