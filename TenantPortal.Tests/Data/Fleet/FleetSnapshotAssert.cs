using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Services;

namespace TenantPortal.Tests.Data.Fleet;

/// <summary>Compares the fleet snapshot with the live computation, tenant by tenant.</summary>
internal static class FleetSnapshotAssert
{
    /// <summary>Every listed tenant has one row of this period, equal to what the live data computes at <paramref name="now"/>.</summary>
    public static async Task EqualsLiveAsync(PortalDbContext db, DateTimeOffset now)
    {
        var live = await FleetLiveUsage.Query(db, db.Tenants.AsNoTracking(), now).ToListAsync();
        var snapshot = await db.FleetUsageSnapshots.AsNoTracking().Where(s => db.Tenants.Any(t => t.Id == s.TenantId)).ToDictionaryAsync(s => s.TenantId);

        Assert.Equal(live.Count, snapshot.Count);
        foreach (var row in live)
        {
            Assert.True(snapshot.TryGetValue(row.TenantId, out var kept), $"No snapshot row for tenant {row.TenantId}.");
            var expected = (PeriodMath.MonthStart(now), row.Members, row.ApiCallsPercent, row.StoragePercent, row.GpuHoursPercent,
                new[] { row.ApiCallsPercent, row.StoragePercent, row.GpuHoursPercent }.Max());
            Assert.Equal(expected, (kept.PeriodStart, kept.Members, kept.ApiCallsPercent, kept.StoragePercent, kept.GpuHoursPercent, kept.MaxPercent));
        }
    }
}
