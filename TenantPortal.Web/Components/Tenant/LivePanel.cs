using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using TenantPortal.Web.Components.Shared;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>
/// A tab panel that reads its data again every <see cref="RefreshInterval"/> while it is open on an interactive circuit,
/// so that usage reported through the API shows up without a reload. Each read opens its own short-lived DbContext.
/// </summary>
public abstract class LivePanel : ComponentBase, IAsyncDisposable
{
    private readonly PeriodicRefresh _refresh = new();

    [Inject] private ILogger<LivePanel> Logger { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    /// <summary>How often the data is read again while the panel is open (default 10 s).</summary>
    [Parameter] public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reads the panel's data; called once when the panel loads and then on every tick.</summary>
    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>Cancelled when the panel is disposed.</summary>
    protected CancellationToken Disposed => _refresh.Stopping;

    /// <inheritdoc />
    protected override Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _refresh.Start(RefreshInterval, Clock, async cancellationToken =>
            {
                await InvokeAsync(() => LoadAsync(cancellationToken));
                await InvokeAsync(StateHasChanged);
            }, Logger, GetType().Name);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _refresh.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
