using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using TenantPortal.Core.Notifications;
using TenantPortal.Data.Services.Notifications;

namespace TenantPortal.Web.Components.Layout;

/// <summary>
/// The notification bell: the unread count of the signed-in user's notices, refreshed every <see cref="RefreshInterval"/>
/// while the circuit is interactive; a menu of the latest <see cref="ListSize"/> with mark-as-read and "mark all read".
/// </summary>
public partial class NotificationBell : IAsyncDisposable
{
    /// <summary>How many notices the menu lists.</summary>
    public const int ListSize = 10;

    private readonly CancellationTokenSource _stop = new();
    private PeriodicTimer? _timer;
    private Task? _loop;
    private string? _userId;
    private int _unread;
    private IReadOnlyList<NotificationRow>? _items;

    [Inject] private NotificationService Notifications { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private ILogger<NotificationBell> Logger { get; set; } = default!;

    /// <summary>How often the unread count is read again (default 15 s).</summary>
    [Parameter] public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    private string UnreadLabel => _unread switch
    {
        0 => "Notifications, none unread",
        1 => "Notifications, 1 unread",
        _ => $"Notifications, {_unread} unread",
    };

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        _userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (_userId is not null)
            _unread = await Notifications.UnreadCountAsync(_userId, _stop.Token);
    }

    /// <inheritdoc />
    protected override void OnAfterRender(bool firstRender)
    {
        // Prerendering has no circuit to push updates to; the interactive render starts the timer once.
        if (firstRender && RendererInfo.IsInteractive && _userId is not null && _timer is null)
        {
            _timer = new PeriodicTimer(RefreshInterval, Time);
            _loop = RefreshAsync(_timer, _userId, _stop.Token);
        }
    }

    private async Task RefreshAsync(PeriodicTimer timer, string userId, CancellationToken cancellationToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    var unread = await Notifications.UnreadCountAsync(userId, cancellationToken);
                    await InvokeAsync(() =>
                    {
                        if (unread == _unread)
                            return;
                        _unread = unread;
                        StateHasChanged();
                    });
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A failed refresh keeps the last count; the next tick tries again.
                    Logger.LogWarning(ex, "Refreshing the notification count failed");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the circuit is gone.
        }
    }

    private async Task OnOpenChangedAsync(bool open)
    {
        if (!open || _userId is null)
            return;
        await ReloadAsync(_userId);
    }

    private async Task ReloadAsync(string userId)
    {
        _items = await Notifications.ListAsync(userId, ListSize, _stop.Token);
        _unread = await Notifications.UnreadCountAsync(userId, _stop.Token);
    }

    private async Task OpenAsync(NotificationRow item)
    {
        if (_userId is null)
            return;
        if (!item.IsRead)
        {
            await Notifications.MarkReadAsync(_userId, item.Id, _stop.Token);
            await ReloadAsync(_userId);
        }
        if (!string.IsNullOrEmpty(item.Link))
            Navigation.NavigateTo(item.Link);
    }

    private async Task MarkAllReadAsync()
    {
        if (_userId is null)
            return;
        await Notifications.MarkAllReadAsync(_userId, _stop.Token);
        await ReloadAsync(_userId);
    }

    private string Ago(DateTimeOffset at)
    {
        var span = Time.GetUtcNow() - at;
        return span switch
        {
            { TotalMinutes: < 1 } => "just now",
            { TotalHours: < 1 } => $"{(int)span.TotalMinutes} min ago",
            { TotalDays: < 1 } => $"{(int)span.TotalHours} h ago",
            { TotalDays: < 7 } => $"{(int)span.TotalDays} d ago",
            _ => at.ToString("d MMM yyyy"),
        };
    }

    private static string IconOf(NotificationRow item) => item.Severity switch
    {
        NotificationSeverity.Error => Icons.Material.Filled.Error,
        NotificationSeverity.Warning => Icons.Material.Filled.Warning,
        _ => Icons.Material.Filled.Info,
    };

    private static Color ColorOf(NotificationRow item) => item.Severity switch
    {
        NotificationSeverity.Error => Color.Error,
        NotificationSeverity.Warning => Color.Warning,
        _ => Color.Info,
    };

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
