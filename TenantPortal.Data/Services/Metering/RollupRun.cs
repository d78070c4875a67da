namespace TenantPortal.Data.Services.Metering;

/// <summary>What one rollup run did: the event ids it rolled up (none when another run had them, or nothing was new).</summary>
public sealed record RollupRun(long FromEventId, long ToEventId)
{
    /// <summary>Events rolled up by this run.</summary>
    public long Events => Math.Max(0, ToEventId - FromEventId);
}
