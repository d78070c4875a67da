using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Billing;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing.Webhooks;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Ops;

/// <summary>
/// The operators' view of the Stripe webhook inbox: events by outcome, each payload on demand, "process again" for a
/// pending or failed event, and a banner when events failed or arrived with an API version Stripe.net does not expect.
/// </summary>
public partial class OpsStripeEventsPage
{
    [Inject] private StripeInboxService Inbox { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private MudTable<StripeInboxRow>? _table;
    private Actor? _operator;
    private WebhookOutcome? _outcome;
    private StripeInboxHealth? _health;
    private string? _error;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _operator = await CurrentUser.GetActorAsync();
        await LoadHealthAsync();
    }

    private async Task LoadHealthAsync()
    {
        if (_operator is null)
            return;
        var health = await Inbox.HealthAsync(_operator, CancellationToken.None);
        _health = health.IsSuccess ? health.Value : null;
    }

    private async Task<TableData<StripeInboxRow>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        _operator ??= await CurrentUser.GetActorAsync();
        if (_operator is null)
            return new TableData<StripeInboxRow> { Items = [], TotalItems = 0 };
        var take = Math.Clamp(state.PageSize, 1, StripeInboxService.MaxPageSize);
        var result = await Inbox.ListAsync(_operator, _outcome, state.Page * take, take, cancellationToken);
        _error = result.IsSuccess ? null : result.Error.Message;
        return result.IsSuccess
            ? new TableData<StripeInboxRow> { Items = result.Value.Rows, TotalItems = result.Value.Total }
            : new TableData<StripeInboxRow> { Items = [], TotalItems = 0 };
    }

    private async Task OnOutcomeChangedAsync(WebhookOutcome? outcome)
    {
        _outcome = outcome;
        if (_table is { CurrentPage: > 0 })
            _table.NavigateTo(0);
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        await LoadHealthAsync();
        if (_table is not null)
            await _table.ReloadServerData();
    }

    private async Task ShowPayloadAsync(StripeInboxRow row)
    {
        if (_operator is null)
            return;
        var payload = await Inbox.PayloadAsync(_operator, row.Id, CancellationToken.None);
        if (!payload.IsSuccess)
        {
            Snackbar.Add(payload.Error.Message, Severity.Error);
            return;
        }
        await Dialogs.ShowAsync<StripePayloadDialog>(null,
            new DialogParameters<StripePayloadDialog> { { d => d.Title, $"{row.Type} · {row.StripeEventId}" }, { d => d.Payload, payload.Value } },
            new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseButton = true });
    }

    private async Task ProcessAgainAsync(StripeInboxRow row)
    {
        if (_operator is null)
            return;
        var result = await Inbox.ProcessAgainAsync(_operator, row.Id, CancellationToken.None);
        if (!result.IsSuccess)
            Snackbar.Add(result.Error.Message, Severity.Error);
        else if (result.Value.Outcome == WebhookReceiptOutcome.Failed)
            Snackbar.Add($"{row.StripeEventId} failed again: {result.Value.Message}", Severity.Warning);
        else
            Snackbar.Add($"{row.StripeEventId}: {result.Value.Outcome.ToString().ToLowerInvariant()}.", Severity.Success);
        await ReloadAsync();
    }

    private static Color OutcomeColor(WebhookOutcome outcome) => outcome switch
    {
        WebhookOutcome.Processed => Color.Success,
        WebhookOutcome.Failed => Color.Error,
        WebhookOutcome.Pending => Color.Warning,
        _ => Color.Default,
    };
}
