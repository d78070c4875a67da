using System.Diagnostics;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Waits for moments, for tests of limits counted over one second (the shared rate limit's sliding window).</summary>
public static class WallClock
{
    /// <summary>The window of a limit per second.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>Waits until just after the next wall-clock second starts.</summary>
    public static Task NextSecondAsync()
    {
        var now = DateTimeOffset.UtcNow;
        return Task.Delay(TimeSpan.FromTicks(TimeSpan.TicksPerSecond - now.UtcTicks % TimeSpan.TicksPerSecond) + TimeSpan.FromMilliseconds(20));
    }

    /// <summary>Waits one window and a little: whatever was granted before has left the window.</summary>
    public static Task WindowPassedAsync() => Task.Delay(Window + TimeSpan.FromMilliseconds(20));

    /// <summary>
    /// Runs <paramref name="burst"/> after a window has passed until one run takes less than a window (a busy machine may
    /// stretch a burst over more), and returns that run's result. Each run must use fresh state (e.g. a new tenant) or
    /// state that a window resets.
    /// </summary>
    public static async Task<T> InOneWindowAsync<T>(Func<Task<T>> burst)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Generous;
        while (true)
        {
            await WindowPassedAsync();
            var clock = Stopwatch.StartNew();
            var result = await burst();
            if (clock.Elapsed < Window)
                return result;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No burst fitted in one window within {TestTimeouts.Generous}.");
        }
    }
}
