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
}
