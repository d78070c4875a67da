using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Webhooks;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Webhooks;

namespace TenantPortal.Web.Components.Tenant.Settings;

/// <summary>The Webhooks section of the Settings tab: endpoints and the delivery log; the services check every permission again.</summary>
public partial class WebhooksSection
{
    private const int PageSize = 25;

    private bool? _entitled;
    private IReadOnlyList<WebhookEndpointRow>? _endpoints;
    private List<WebhookDeliveryRow>? _deliveries;
    private WebhookEndpointRow? _logEndpoint;
    private string? _nextCursor;
    private bool _busy;

    [Inject] private WebhookEndpointService Endpoints { get; set; } = default!;
    [Inject] private WebhookDeliveryService Deliveries { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The user's access to the tenant.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    /// <summary>Who acts.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    private bool CanManage => RolePolicy.Allows(Access.Role, TenantPermission.ManageWebhooks);

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _entitled = await Endpoints.IsEntitledAsync(Actor, CancellationToken.None);
        if (_entitled == true)
            await LoadAsync();
    }

    /// <summary>The status text of an endpoint.</summary>
    public static string StatusOf(WebhookEndpointRow endpoint) => endpoint switch
    {
        { Enabled: true, FailingSince: { } since } => $"Enabled, failing since {since:d MMM HH:mm} UTC",
        { Enabled: true } => "Enabled",
        { DisabledForFailures: true } => "Disabled after 3 days of failures",
        _ => "Disabled",
    };

    private static string DeliveryStatus(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Pending => "Pending",
        WebhookDeliveryStatus.Retrying => "Retrying",
        WebhookDeliveryStatus.Succeeded => "Succeeded",
        _ => "Failed",
    };

    private async Task LoadAsync()
    {
        var endpoints = await Endpoints.ListAsync(Actor, CancellationToken.None);
        if (!endpoints.IsSuccess)
        {
            Snackbar.Add(endpoints.Error.Message, Severity.Error);
            _endpoints = [];
            _deliveries = [];
            return;
        }
        _endpoints = endpoints.Value;
        if (_logEndpoint is { } shown)
            _logEndpoint = _endpoints.FirstOrDefault(e => e.Id == shown.Id);
        await LoadDeliveriesAsync(null);
    }

    private async Task LoadDeliveriesAsync(string? cursor)
    {
        var page = await Deliveries.ListAsync(Actor, new WebhookDeliveryFilter(_logEndpoint?.Id, Limit: PageSize, Cursor: cursor), CancellationToken.None);
        if (!page.IsSuccess)
        {
            Snackbar.Add(page.Error.Message, Severity.Error);
            _deliveries ??= [];
            return;
        }
        _deliveries = cursor is null ? [.. page.Value.Items] : [.. _deliveries ?? [], .. page.Value.Items];
        _nextCursor = page.Value.NextCursor;
    }

    private Task MoreAsync() => LoadDeliveriesAsync(_nextCursor);

    private async Task ShowDeliveriesAsync(WebhookEndpointRow endpoint)
    {
        _logEndpoint = endpoint;
        await LoadDeliveriesAsync(null);
    }

    private async Task ShowAllDeliveriesAsync()
    {
        _logEndpoint = null;
        await LoadDeliveriesAsync(null);
    }

    private async Task AddAsync()
    {
        var parameters = new DialogParameters<WebhookEndpointDialog> { { d => d.Actor, Actor } };
        var dialog = await Dialogs.ShowAsync<WebhookEndpointDialog>("Add webhook endpoint", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: WebhookEndpointSecret created })
        {
            await LoadAsync();
            StateHasChanged();
            await ShowSecretAsync(created, "Your endpoint's signing secret");
        }
    }

    private async Task EditAsync(WebhookEndpointRow endpoint)
    {
        var parameters = new DialogParameters<WebhookEndpointDialog> { { d => d.Actor, Actor }, { d => d.Endpoint, endpoint } };
        var dialog = await Dialogs.ShowAsync<WebhookEndpointDialog>("Edit webhook endpoint", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add("The endpoint was saved.", Severity.Success);
            await LoadAsync();
        }
    }

    private Task SetEnabledAsync(WebhookEndpointRow endpoint, bool enabled) => RunAsync(async () =>
    {
        var result = await Endpoints.UpdateAsync(Actor, endpoint.Id, new WebhookEndpointInput(null, null, null, enabled), CancellationToken.None);
        Snackbar.Add(result.IsSuccess ? (enabled ? "The endpoint is enabled: new events are delivered to it." : "The endpoint is disabled.") : result.Error.Message,
            result.IsSuccess ? Severity.Success : Severity.Error);
    });

    private async Task RotateAsync(WebhookEndpointRow endpoint)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Rotate signing secret",
            $"Create a new signing secret for {endpoint.Url}? For 24 hours both secrets sign each delivery, so you can switch your receiver over.",
            yesText: "Rotate", cancelText: "Cancel");
        if (confirmed != true)
            return;
        WebhookEndpointSecret? rotated = null;
        await RunAsync(async () =>
        {
            var result = await Endpoints.RotateSecretAsync(Actor, endpoint.Id, CancellationToken.None);
            if (result.IsSuccess)
                rotated = result.Value;
            else
                Snackbar.Add(result.Error.Message, Severity.Error);
        });
        if (rotated is not null)
            await ShowSecretAsync(rotated, "Your endpoint's new signing secret");
    }

    private async Task DeleteAsync(WebhookEndpointRow endpoint)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete webhook endpoint",
            $"Delete {endpoint.Url}? No more events are sent to it, and its delivery log is deleted with it.", yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
            return;
        if (_logEndpoint?.Id == endpoint.Id)
            _logEndpoint = null;
        await RunAsync(async () =>
        {
            var result = await Endpoints.DeleteAsync(Actor, endpoint.Id, CancellationToken.None);
            Snackbar.Add(result.IsSuccess ? "The endpoint was deleted." : result.Error.Message, result.IsSuccess ? Severity.Success : Severity.Error);
        });
    }

    private Task ResendAsync(WebhookDeliveryRow delivery) => RunAsync(async () =>
    {
        var result = await Deliveries.ResendAsync(Actor, delivery.Id, CancellationToken.None);
        Snackbar.Add(result.IsSuccess ? $"{delivery.EventType} {delivery.EventId} is being sent again." : result.Error.Message,
            result.IsSuccess ? Severity.Success : Severity.Error);
    });

    private async Task RunAsync(Func<Task> action)
    {
        if (_busy)
            return;
        _busy = true;
        try
        {
            await action();
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ShowSecretAsync(WebhookEndpointSecret secret, string title)
    {
        var parameters = new DialogParameters<WebhookSecretDialog> { { d => d.Secret, secret } };
        var dialog = await Dialogs.ShowAsync<WebhookSecretDialog>(title, parameters,
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, BackdropClick = false, CloseOnEscapeKey = false });
        await dialog.Result;
    }
}
