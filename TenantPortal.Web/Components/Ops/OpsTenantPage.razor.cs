using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Data.Services.Members;
using TenantPortal.Data.Services.Operations;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Ops;

/// <summary>
/// One tenant's health for operators: header, usage against plan limits and overrides, members, invitations, invoices
/// and the audit log, with actions (suspend or reactivate, change tier, extend trial, quota overrides, resend an
/// invitation, settle an invoice), each asking for a reason that goes into the tenant's audit log.
/// </summary>
public partial class OpsTenantPage
{
    [Inject] private OperatorTenantService Operations { get; set; } = default!;
    [Inject] private InvoiceSettlementService Settlement { get; set; } = default!;
    [Inject] private OperatorAccountService Accounts { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private PortalAddresses Addresses { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    /// <summary>The tenant's id, from the route.</summary>
    [Parameter] public Guid Id { get; set; }

    private OperatorTenantDetail? _detail;
    private bool _notFound;
    private string? _error;
    private Actor? _actor;
    private IReadOnlySet<string> _locked = new HashSet<string>();

    private DateTimeOffset Now => Time.GetUtcNow();

    private OperatorTenantActions Actions => _actions ??= new(Dialogs, Operations, Snackbar, Time);
    private OperatorTenantActions? _actions;

    private bool CanExtendTrial => _detail is { CanExtendTrial: true };

    private static string SuspensionText(SuspensionReason reason, TenantStatus status) => reason switch
    {
        SuspensionReason.Operator when status == TenantStatus.Cancelled => "subscription ended; an operator's suspension still holds",
        SuspensionReason.Operator => "suspended by an operator: only an operator lifts it",
        SuspensionReason.TrialExpired => "suspended: the trial ended without a subscription",
        _ => "suspended for non-payment: a payment lifts it",
    };

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        _actor = await CurrentUser.GetActorAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (_actor is null)
            return;
        var result = await Operations.GetAsync(_actor, Id, CancellationToken.None);
        _notFound = result.Error?.Code == ErrorCodes.NotFound;
        _error = result.IsSuccess || _notFound ? null : result.Error!.Message;
        _detail = result.IsSuccess ? result.Value : null;
        if (_detail is not null && await Accounts.LockedAsync(_actor, [.. _detail.Members.Select(m => m.UserId)], CancellationToken.None) is { IsSuccess: true } locked)
            _locked = locked.Value;
    }

    private async Task SuspendAsync()
    {
        if (await Actions.SuspendAsync(_actor!, _detail!))
            await LoadAsync();
    }

    private async Task ReactivateAsync()
    {
        if (await Actions.ReactivateAsync(_actor!, _detail!))
            await LoadAsync();
    }

    private async Task ChangeTierAsync()
    {
        if (await Actions.ChangeTierAsync(_actor!, _detail!))
            await LoadAsync();
    }

    private async Task ExtendTrialAsync()
    {
        if (await Actions.ExtendTrialAsync(_actor!, _detail!))
            await LoadAsync();
    }

    private async Task OverrideAsync(OperatorUsageRow usage)
    {
        var choice = await ShowAsync<QuotaOverrideDialog, QuotaOverrideChoice>(new DialogParameters<QuotaOverrideDialog>
        {
            { d => d.TenantName, _detail!.Name }, { d => d.Usage, usage },
        });
        if (choice is null)
            return;
        var name = UsageMetrics.DisplayName(choice.Metric);
        if (choice.Limit is { } limit)
            await ApplyAsync(Operations.SetQuotaOverrideAsync(_actor!, Id, choice.Metric, limit, choice.Reason, CancellationToken.None),
                $"{name} quota is {(limit == PlanCatalog.Unlimited ? "unlimited" : limit.ToString("N0"))} now.");
        else
            await ApplyAsync(Operations.ClearQuotaOverrideAsync(_actor!, Id, choice.Metric, choice.Reason, CancellationToken.None),
                $"{name} override cleared; the plan's quota applies.");
    }

    private async Task ResendAsync(InvitationRow invitation)
    {
        var reason = await AskReasonAsync($"Resend the invitation to {invitation.Email}",
            "A new link is sent and the old one stops working; the invitation's validity starts again.", "Resend", Color.Primary);
        if (reason is not null)
            await ApplyAsync(Operations.ResendInvitationAsync(_actor!, Id, invitation.Id, Addresses.InvitationAcceptUrl, reason, CancellationToken.None),
                $"Invitation sent again to {invitation.Email}.");
    }

    private async Task LockAsync(MemberRow member)
    {
        var reason = await AskReasonAsync($"Lock the account of {member.Email}",
            "Every session of theirs ends now, in every workspace and browser, and they can't sign in until an operator unlocks the account.",
            "Lock account", Color.Error);
        if (reason is not null)
            await ApplyAsync(Accounts.LockAsync(_actor!, member.UserId, reason, CancellationToken.None), $"{member.Email} is locked out and signed out everywhere.");
    }

    private async Task UnlockAsync(MemberRow member)
    {
        var reason = await AskReasonAsync($"Unlock the account of {member.Email}", "They can sign in again.", "Unlock account", Color.Primary);
        if (reason is not null)
            await ApplyAsync(Accounts.UnlockAsync(_actor!, member.UserId, reason, CancellationToken.None), $"{member.Email} can sign in again.");
    }

    private async Task SettleAsync(OperatorInvoiceRow invoice, bool @void)
    {
        var row = new OpenInvoiceRow(invoice.Id, _detail!.Slug, _detail.Name, invoice.Number, invoice.PeriodStart, invoice.Status, invoice.TotalCents, invoice.DueAt);
        var reason = await ShowAsync<SettleInvoiceDialog, string>(new DialogParameters<SettleInvoiceDialog> { { d => d.Invoice, row }, { d => d.Void, @void } });
        if (reason is null)
            return;
        var result = @void
            ? Settlement.VoidAsync(_actor!, invoice.Id, reason, CancellationToken.None)
            : Settlement.MarkPaidAsync(_actor!, invoice.Id, reason, CancellationToken.None);
        await ApplyAsync(result, $"{invoice.Number} {(@void ? "voided" : "marked paid")}.");
    }

    private Task<string?> AskReasonAsync(string title, string message, string confirm, Color color) =>
        _actor is null || _detail is null ? Task.FromResult<string?>(null) : Actions.AskReasonAsync(title, message, confirm, color);

    private Task<TResult?> ShowAsync<TDialog, TResult>(DialogParameters<TDialog> parameters) where TDialog : IComponent where TResult : class =>
        _actor is null || _detail is null ? Task.FromResult<TResult?>(null) : Actions.ShowAsync<TDialog, TResult>(parameters);

    private async Task ApplyAsync(Task<Result> action, string success)
    {
        await Actions.ApplyAsync(action, success);
        await LoadAsync();
    }

    private static string Describe(decimal limit) => limit == PlanCatalog.Unlimited ? "unlimited" : limit.ToString("N0");
}
