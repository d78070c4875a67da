using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>
/// A tab panel that reads its data again every <see cref="RefreshInterval"/> while it is open on an interactive circuit,
/// so that usage reported through the API shows up without a reload. Each read opens its own short-lived DbContext.
/// </summary>
public abstract class LivePanel : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private PeriodicTimer? _timer;
    private Task? _loop;

    [Inject] private ILogger<LivePanel> Logger { get; set; } = default!;

    /// <summary>How often the data is read again while the panel is open (default 10 s).</summary>
    [Parameter] public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reads the panel's data; called once when the panel loads and then on every tick.</summary>
    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>Cancelled when the panel is disposed.</summary>
    protected CancellationToken Disposed => _stop.Token;

    /// <inheritdoc />
    protected override Task OnAfterRenderAsync(bool firstRender)
    {
        // Prerendering has no circuit to push updates to; the interactive render starts the timer once.
        if (firstRender && RendererInfo.IsInteractive && _timer is null)
        {
            _timer = new PeriodicTimer(RefreshInterval);
            _loop = RefreshAsync(_timer, _stop.Token);
        }
        return Task.CompletedTask;
    }

    private async Task RefreshAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await InvokeAsync(() => LoadAsync(cancellationToken));
                    await InvokeAsync(StateHasChanged);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A failed refresh keeps the last data on screen; the next tick tries again.
                    Logger.LogWarning(ex, "Refreshing {Panel} failed", GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the panel is closed.
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
        GC.SuppressFinalize(this);
    }
}
