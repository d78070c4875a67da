using TenantPortal.Web.Components.Shared;
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

    private readonly PeriodicRefresh _refresh = new();
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
            _unread = await Notifications.UnreadCountAsync(_userId, _refresh.Stopping);
    }

    /// <inheritdoc />
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive && _userId is { } userId)
        {
            _refresh.Start(RefreshInterval, Time, async cancellationToken =>
            {
                var unread = await Notifications.UnreadCountAsync(userId, cancellationToken);
                await InvokeAsync(() =>
                {
                    if (unread == _unread)
                        return;
                    _unread = unread;
                    StateHasChanged();
                });
            }, Logger, "the notification count");
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
        _items = await Notifications.ListAsync(userId, ListSize, _refresh.Stopping);
        _unread = await Notifications.UnreadCountAsync(userId, _refresh.Stopping);
    }

    private async Task OpenAsync(NotificationRow item)
    {
        if (_userId is null)
            return;
        if (!item.IsRead)
        {
            await Notifications.MarkReadAsync(_userId, item.Id, _refresh.Stopping);
            await ReloadAsync(_userId);
        }
        if (!string.IsNullOrEmpty(item.Link))
            Navigation.NavigateTo(item.Link);
    }

    private async Task MarkAllReadAsync()
    {
        if (_userId is null)
            return;
        await Notifications.MarkAllReadAsync(_userId, _refresh.Stopping);
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
        await _refresh.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
