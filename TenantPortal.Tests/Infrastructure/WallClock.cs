namespace TenantPortal.Tests.Infrastructure;

/// <summary>Waits for wall-clock moments, for tests of limits counted per wall-clock second (the shared rate limit).</summary>
public static class WallClock
{
    /// <summary>Waits until just after the next second starts, so that a short burst falls in one second.</summary>
    public static Task NextSecondAsync()
    {
        var now = DateTimeOffset.UtcNow;
        return Task.Delay(TimeSpan.FromTicks(TimeSpan.TicksPerSecond - now.UtcTicks % TimeSpan.TicksPerSecond) + TimeSpan.FromMilliseconds(20));
    }

    /// <summary>
    /// Runs <paramref name="burst"/> from the start of a second until one run ends within the second it started in (a busy
    /// machine may stretch a burst over two), and returns that run's result. Each run must use fresh state (e.g. a new
    /// tenant) or state that a new second resets.
    /// </summary>
    public static async Task<T> InOneSecondAsync<T>(Func<Task<T>> burst)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Generous;
        while (true)
        {
            await NextSecondAsync();
            var started = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var result = await burst();
            if (DateTimeOffset.UtcNow.ToUnixTimeSeconds() == started)
                return result;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No burst fitted in one second within {TestTimeouts.Generous}.");
        }
    }
}
