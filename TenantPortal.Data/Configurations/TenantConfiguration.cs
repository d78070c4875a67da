using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Tenants;

namespace TenantPortal.Data.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> b)
    {
        b.ToTable("Tenants");
        b.HasKey(t => t.Id);
        b.Property(t => t.Name).HasMaxLength(FieldLengths.Name).IsRequired();
        b.Property(t => t.Slug).HasMaxLength(TenantSlug.MaxLength).IsRequired();
        b.HasIndex(t => t.Slug).IsUnique();
        b.Property(t => t.CustomDomain).HasMaxLength(FieldLengths.HostName);
        b.HasIndex(t => t.CustomDomain).IsUnique().HasFilter("[CustomDomain] IS NOT NULL");
        b.Property(t => t.Tier).HasConversion<string>().HasMaxLength(20);
        b.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(t => t.Status);
        b.Property(t => t.SuspensionReason).HasConversion<string>().HasMaxLength(20);
        b.Property(t => t.BillingCycle).HasConversion<string>().HasMaxLength(20);
        b.Property(t => t.BillingEmail).HasMaxLength(FieldLengths.Email);
        b.Property(t => t.StripeCustomerId).HasMaxLength(FieldLengths.ExternalId);
        b.HasIndex(t => t.StripeCustomerId).IsUnique().HasFilter("[StripeCustomerId] IS NOT NULL");
        b.Property(t => t.StripeSubscriptionId).HasMaxLength(FieldLengths.ExternalId);
        b.Property(t => t.PendingTier).HasConversion<string>().HasMaxLength(20);
        b.Property(t => t.PendingCycle).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(t => t.StripeSubscriptionId).IsUnique().HasFilter("[StripeSubscriptionId] IS NOT NULL");
        b.Property(t => t.ConcurrencyStamp).IsConcurrencyToken();
        b.Property(t => t.SpendBudgetAction).HasConversion<string>().HasMaxLength(20);
        // A tenant whose deletion was requested is gone for everyone (members, operators, API keys, jobs) while its rows are
        // deleted in batches; only TenantDeletionService reads past this filter.
        b.HasQueryFilter(TenantDeletionService.NotDeletedFilter, t => t.DeletionRequestedAt == null);
        b.OwnsOne(t => t.Settings, s =>
        {
            s.ToJson();
            s.Property(x => x.TimeZone).HasMaxLength(64);
        });
        b.HasMany(t => t.QuotaOverrides).WithOne().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
