namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// What a store learnt while aggregating a run's events: the tenants that had events (their live panels read again)
/// and the gauges that got readings (their level-hours are recomputed), so the run need not read the events again.
/// </summary>
public sealed record RollupReport(IReadOnlyCollection<Guid> Tenants, IReadOnlyList<GaugeTouch> Gauges);
