using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantPortal.Data.Services;
using TenantPortal.Web.Components.Shared;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>
/// A tab panel that reads its data again every <see cref="RefreshInterval"/> while it is open on an interactive circuit,
/// so that usage reported through the API shows up without a reload. Each read opens its own short-lived DbContext.
/// Where the tenant's changes are tracked (<see cref="TenantDataVersions"/>, one writing instance), a tick reads only when
/// the tenant's data changed since the last read, or when that read is older than <see cref="MaxAge"/> (so that
/// time-based figures such as days left and projections move); otherwise every tick reads.
/// </summary>
public abstract class LivePanel : ComponentBase, IAsyncDisposable
{
    private readonly PeriodicRefresh _refresh = new();
    private LiveRefreshGate? _gate;

    [Inject] private ILogger<LivePanel> Logger { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private IServiceProvider Services { get; set; } = default!;

    /// <summary>How often the data is read again while the panel is open (default 10 s).</summary>
    [Parameter] public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest a read is kept while nothing changed (default 5 minutes).</summary>
    [Parameter] public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The tenant whose data the panel shows.</summary>
    protected abstract Guid TenantId { get; }

    /// <summary>Reads the panel's data; called through <see cref="ReloadAsync"/> when the panel loads and on ticks.</summary>
    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>Cancelled when the panel is disposed.</summary>
    protected CancellationToken Disposed => _refresh.Stopping;

    private LiveRefreshGate Gate => _gate ??= new LiveRefreshGate(Services.GetService<TenantDataVersions>(), Clock);

    /// <summary>Reads the panel's data now, remembering the tenant's version it reflects.</summary>
    protected Task ReloadAsync(CancellationToken cancellationToken) => Gate.ReadAsync(TenantId, () => LoadAsync(cancellationToken));

    /// <inheritdoc />
    protected override Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _refresh.Start(RefreshInterval, Clock, async cancellationToken =>
            {
                var reloaded = false;
                await InvokeAsync(async () =>
                {
                    if (Gate.IsCurrent(TenantId, MaxAge))
                        return;
                    await ReloadAsync(cancellationToken);
                    reloaded = true;
                });
                if (reloaded)
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
