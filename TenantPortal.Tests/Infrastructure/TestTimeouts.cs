namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// The one timeout every wait of the tests uses — for a page, a circuit, a process, a mail, a render. It is generous on
/// purpose: a test must pass on a busy machine too, and a correct test only ever waits this long for something that
/// will never happen (then the failure says what it waited for). Tests never measure speed; benchmarks do.
/// </summary>
public static class TestTimeouts
{
    /// <summary>How long any wait lasts before it fails.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    /// <summary><see cref="Generous"/> in milliseconds, as Playwright takes it.</summary>
    public static float GenerousMilliseconds => (float)Generous.TotalMilliseconds;

    /// <summary>A token cancelled after <see cref="Generous"/>.</summary>
    public static CancellationToken Token() => new CancellationTokenSource(Generous).Token;

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds, for at most <see cref="Generous"/>; then fails naming
    /// <paramref name="what"/> it waited for. For state another thread or process changes (a cache told through a channel).
    /// </summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Waited {Generous} for {what}.");
            await Task.Delay(20);
        }
    }
}
