using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Configurations;

internal sealed class StripeWebhookEventConfiguration : IEntityTypeConfiguration<StripeWebhookEvent>
{
    public void Configure(EntityTypeBuilder<StripeWebhookEvent> b)
    {
        b.ToTable("StripeWebhookEvents");
        b.HasKey(e => e.Id);
        b.Property(e => e.StripeEventId).HasMaxLength(FieldLengths.ExternalId).IsRequired();
        // Stripe retries and duplicates deliveries: the event id is stored once.
        b.HasIndex(e => e.StripeEventId).IsUnique();
        b.Property(e => e.Type).HasMaxLength(100).IsRequired();
        b.Property(e => e.ApiVersion).HasMaxLength(40);
        b.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(e => new { e.Outcome, e.ReceivedAt });
        b.Property(e => e.Error).HasMaxLength(FieldLengths.LongText);
    }
}
