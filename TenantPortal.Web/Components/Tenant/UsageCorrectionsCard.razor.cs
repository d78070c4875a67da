using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering.Corrections;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>The corrections card of the Usage tab; listing and reverting go through <see cref="UsageCorrectionService"/>, which checks the role.</summary>
public partial class UsageCorrectionsCard
{
    private const int PageSize = 20;

    [Inject] private UsageCorrectionService Corrections { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>Called after a revert, so the panel reads its figures again.</summary>
    [Parameter] public EventCallback Reverted { get; set; }

    private Actor? _actor;
    private List<UsageCorrectionView>? _items;
    private long? _next;
    private bool _busy;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _actor = await CurrentUser.GetActorAsync();
        await LoadAsync(reset: true);
    }

    private async Task LoadAsync(bool reset)
    {
        if (_actor is null)
            return;
        var page = await Corrections.ListAsync(_actor, reset ? null : _next, PageSize, CancellationToken.None);
        if (!page.IsSuccess)
        {
            Snackbar.Add(page.Error!.Message, Severity.Error);
            _items ??= [];
            return;
        }
        _items = reset ? [.. page.Value.Items] : [.. _items ?? [], .. page.Value.Items];
        _next = page.Value.NextAfter;
    }

    private async Task MoreAsync()
    {
        _busy = true;
        try
        {
            await LoadAsync(reset: false);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RevertAsync(UsageCorrectionView correction)
    {
        var parameters = new DialogParameters<RevertCorrectionDialog> { { d => d.Correction, correction } };
        var dialog = await Dialogs.ShowAsync<RevertCorrectionDialog>("Revert correction", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is not { Canceled: false, Data: string reason } || _actor is null)
            return;
        _busy = true;
        try
        {
            var reverted = await Corrections.RevertAsync(_actor, correction.Id, reason, CancellationToken.None);
            if (reverted.IsSuccess)
            {
                Snackbar.Add($"Correction {correction.Id} was reverted: its events count as before.", Severity.Success);
                await Reverted.InvokeAsync();
            }
            else
            {
                Snackbar.Add(reverted.Error!.Message, Severity.Error);
            }
            await LoadAsync(reset: true);
        }
        finally
        {
            _busy = false;
        }
    }

    private static string EventsText(UsageCorrectionView c) =>
        string.Join(", ", c.Events.GroupBy(e => e.Action).Select(g => $"{g.Count():N0} {Verb(g.Key, g.Count())}"));

    private static string Verb(UsageCorrectionAction action, int count) => action switch
    {
        UsageCorrectionAction.Void => count == 1 ? "void" : "voids",
        UsageCorrectionAction.Amend => count == 1 ? "amend" : "amends",
        _ => count == 1 ? "backfill" : "backfills",
    };

    private static string NetText(UsageCorrectionView c)
    {
        var net = c.NetByMetric;
        return net.Count == 0
            ? "none"
            : string.Join(", ", net.Select(n => $"{(n.Value > 0 ? "+" : "−")}{Math.Abs(n.Value).ToString("#,0.######", System.Globalization.CultureInfo.InvariantCulture)} {UsageMetrics.Unit(n.Key)}"));
    }

    private static string RevertTitle(UsageCorrectionView c) =>
        c.RevertReason is { } why ? $"Reverted by {c.RevertedBy}: {why}" : $"Reverted by {c.RevertedBy}";
}
