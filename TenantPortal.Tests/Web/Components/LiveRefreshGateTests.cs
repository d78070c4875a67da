using Microsoft.Extensions.Time.Testing;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Web.Components.Tenant;

namespace TenantPortal.Tests.Web.Components;

/// <summary>When a live panel's tick reads again: after a change of its tenant or once the read is too old, never otherwise.</summary>
public class LiveRefreshGateTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero));
    private readonly TenantDataVersions _versions = new();
    private readonly Guid _tenant = Guid.NewGuid();

    private async Task<LiveRefreshGate> ReadGateAsync(TenantDataVersions? versions)
    {
        var gate = new LiveRefreshGate(versions, _clock);
        await gate.ReadAsync(_tenant, () => Task.CompletedTask);
        return gate;
    }

    [Fact]
    public async Task ATickWithoutChanges_KeepsTheRead()
    {
        var gate = await ReadGateAsync(_versions);
        _versions.Changed(Guid.NewGuid()); // another tenant
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.True(gate.IsCurrent(_tenant, MaxAge));
    }

    [Fact]
    public async Task ATickAfterAnIngest_ReadsAgain()
    {
        var gate = await ReadGateAsync(_versions);

        _versions.Stored(_tenant, [new StoredUsageEvent(1, UsageMetric.ApiCalls, 3, _clock.GetUtcNow())]);

        Assert.False(gate.IsCurrent(_tenant, MaxAge));
    }

    [Fact]
    public async Task ATickAfterASave_OrARollupOfAllTenants_ReadsAgain()
    {
        var gate = await ReadGateAsync(_versions);
        _versions.Changed(_tenant);
        Assert.False(gate.IsCurrent(_tenant, MaxAge));

        await gate.ReadAsync(_tenant, () => Task.CompletedTask);
        _versions.ChangedAll();
        Assert.False(gate.IsCurrent(_tenant, MaxAge));
    }

    [Fact]
    public async Task AChangeDuringTheRead_ReadsAgainOnTheNextTick()
    {
        var gate = new LiveRefreshGate(_versions, _clock);

        await gate.ReadAsync(_tenant, () =>
        {
            _versions.Changed(_tenant);
            return Task.CompletedTask;
        });

        Assert.False(gate.IsCurrent(_tenant, MaxAge));
    }

    [Fact]
    public async Task AnOldRead_ReadsAgain_SoTimeBasedFiguresMove()
    {
        var gate = await ReadGateAsync(_versions);

        _clock.Advance(MaxAge);

        Assert.False(gate.IsCurrent(_tenant, MaxAge));
    }

    [Fact]
    public async Task WithoutTracking_EveryTickReads()
    {
        var gate = await ReadGateAsync(versions: null);

        Assert.False(gate.IsCurrent(_tenant, MaxAge));
    }

    [Fact]
    public void BeforeTheFirstRead_ATickReads() =>
        Assert.False(new LiveRefreshGate(_versions, _clock).IsCurrent(_tenant, MaxAge));
}
