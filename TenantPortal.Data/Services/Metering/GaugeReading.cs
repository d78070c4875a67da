namespace TenantPortal.Data.Services.Metering;

/// <summary>One stored level of a gauge; the latest is the one with the greatest timestamp, then id.</summary>
internal readonly record struct GaugeReading(DateTimeOffset Timestamp, long Id, decimal Quantity)
{
    /// <summary>Whether this reading supersedes <paramref name="other"/>.</summary>
    public bool IsLaterThan(GaugeReading? other) =>
        other is not { } o || Timestamp > o.Timestamp || (Timestamp == o.Timestamp && Id > o.Id);
}
