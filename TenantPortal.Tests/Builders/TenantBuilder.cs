using TenantPortal.Core.Tenants;

namespace TenantPortal.Tests.Builders;

/// <summary>Builds a valid tenant; change only what a test is about.</summary>
public sealed class TenantBuilder
{
    private static int _sequence;
    private readonly Tenant _tenant;

    public TenantBuilder()
    {
        var n = Interlocked.Increment(ref _sequence);
        _tenant = new Tenant
        {
            Name = $"Tenant {n}",
            Slug = $"tenant-{n}",
            Tier = SubscriptionTier.Starter,
            Status = TenantStatus.Active,
            CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
    }

    public TenantBuilder WithSlug(string slug)
    {
        _tenant.Slug = slug;
        return this;
    }

    public TenantBuilder OnPlan(SubscriptionTier tier)
    {
        _tenant.Tier = tier;
        return this;
    }

    public TenantBuilder WithStatus(TenantStatus status)
    {
        _tenant.Status = status;
        return this;
    }

    public Tenant Build() => _tenant;
}
