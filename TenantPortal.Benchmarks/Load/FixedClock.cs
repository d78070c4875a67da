namespace TenantPortal.Benchmarks.Load;

/// <summary>A clock that stays at one instant, so a scenario's periods and grace windows are the same on every run.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => now;
}
