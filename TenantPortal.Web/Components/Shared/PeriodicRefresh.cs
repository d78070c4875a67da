using Microsoft.Extensions.Logging;

namespace TenantPortal.Web.Components.Shared;

/// <summary>
/// Runs a refresh on a timer while a component is open on an interactive circuit: a failed refresh is logged and the
/// next tick tries again; disposing stops the loop and waits for it. Components own one and start it after their first
/// interactive render (prerendering has no circuit to push updates to).
/// </summary>
public sealed class PeriodicRefresh : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private PeriodicTimer? _timer;
    private Task? _loop;

    /// <summary>Cancelled when the owner is disposed.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Starts the loop once; later calls do nothing.</summary>
    /// <param name="interval">Time between refreshes.</param>
    /// <param name="time">The clock of the timer.</param>
    /// <param name="refresh">The work of one tick.</param>
    /// <param name="logger">Where a failed refresh is logged.</param>
    /// <param name="what">What is refreshed, for the log.</param>
    public void Start(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> refresh, ILogger logger, string what)
    {
        if (_timer is not null)
            return;
        _timer = new PeriodicTimer(interval, time);
        _loop = RunAsync(_timer, refresh, logger, what, _stop.Token);
    }

    private static async Task RunAsync(PeriodicTimer timer, Func<CancellationToken, Task> refresh, ILogger logger, string what, CancellationToken cancellationToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await refresh(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The last data stays on screen; the next tick tries again.
                    logger.LogWarning(ex, "Refreshing {What} failed", what);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the component is closed.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _timer?.Dispose();
        if (_loop is not null)
            await _loop;
        _stop.Dispose();
    }
}
