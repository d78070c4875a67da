using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering.Corrections;
using TenantPortal.Data.Services.Operations;
using TenantPortal.Web.Components.Shared;

namespace TenantPortal.Web.Components.Ops;

/// <summary>The operator's view of a tenant's usage corrections: the newest 50, the backfill dialog, and revert (with a reason).</summary>
public partial class UsageBackfillCard
{
    private const int PageSize = 50;
    private UsageCorrectionPage? _page;
    private string? _error;
    private Guid? _loadedFor;

    [Inject] private UsageCorrectionService Corrections { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private OperatorTenantService Operations { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private OperatorTenantActions Actions => _actions ??= new(Dialogs, Operations, Snackbar, Time);
    private OperatorTenantActions? _actions;

    /// <summary>The tenant.</summary>
    [Parameter, EditorRequired] public Guid TenantId { get; set; }

    /// <summary>The operator; the services check the role.</summary>
    [Parameter, EditorRequired] public Actor? Actor { get; set; }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (Actor is null || _loadedFor == TenantId)
            return;
        _loadedFor = TenantId;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var result = await Corrections.ListForTenantAsync(Actor!, TenantId, null, PageSize, CancellationToken.None);
        _page = result.IsSuccess ? result.Value : null;
        _error = result.IsSuccess ? null : result.Error.Message;
    }

    private async Task BackfillAsync()
    {
        var id = await Actions.ShowAsync<UsageBackfillDialog, string>(new DialogParameters<UsageBackfillDialog>
        {
            { d => d.TenantId, TenantId }, { d => d.Actor, Actor! },
        });
        if (id is null)
            return;
        Snackbar.Add($"Backfill {id} applied.", Severity.Success);
        await LoadAsync();
    }

    private async Task RevertAsync(UsageCorrectionView correction)
    {
        var reason = await Actions.AskReasonAsync($"Revert correction {correction.Id}",
            "Its events count as before; invoiced periods are settled again (a credit note now, or an adjustment on the next invoice).",
            "Revert", Color.Error);
        if (reason is null)
            return;
        var result = await Corrections.RevertForTenantAsync(Actor!, TenantId, correction.Id, reason, CancellationToken.None);
        if (result.IsSuccess)
            Snackbar.Add($"Correction {correction.Id} reverted.", Severity.Success);
        else
            Snackbar.Add(result.Error.Message, Severity.Error);
        await LoadAsync();
    }

    private static string NetText(UsageCorrectionView correction) => correction.NetByMetric.Count == 0
        ? "none"
        : string.Join(", ", correction.NetByMetric.Select(n => string.Create(CultureInfo.InvariantCulture,
            $"{(n.Value > 0 ? "+" : "−")}{UsageText.Amount(Math.Abs(n.Value))} {UsageMetrics.DisplayName(n.Key).ToLowerInvariant()}")));
}
