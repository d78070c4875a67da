namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// What one rollup run did: the event ids it rolled up (none when another run had them, or nothing was new), and the
/// most one run of the provider takes (<see cref="IRollupStore.MaxEventsPerRun"/>).
/// </summary>
public sealed record RollupRun(long FromEventId, long ToEventId, int MaxEvents)
{
    /// <summary>Events rolled up by this run.</summary>
    public long Events => Math.Max(0, ToEventId - FromEventId);

    /// <summary>The run took as many events as a run may: more may be waiting (a backlog takes several runs).</summary>
    public bool Full => Events >= MaxEvents;
}
