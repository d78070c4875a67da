using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Quotas;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Notifications;
using TenantPortal.Web.Components.Tenant.Billing;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>
/// The quota banner: what happens next at 80, 90 and 100 % of a quota (the thresholds of the quota alerts,
/// <see cref="QuotaCalculator.AlertThresholds"/>) and at a suspension, with the Owner's way out or the others' "Ask an owner".
/// </summary>
public partial class QuotaBanner
{
    /// <summary>The element id of the banner, which the red usage bars link to.</summary>
    public const string Anchor = "quota-banner";

    private UsageReport? _ownReport;
    private BillingStatus? _status;
    private TenantAccess? _loadedFor;
    private Actor? _actor;
    private string? _askedFor;
    private DateTimeOffset? _askedAt;
    private bool _asking;
    private string? _askError;

    [Inject] private UsageReportService Reports { get; set; } = default!;
    [Inject] private BillingStatusService Statuses { get; set; } = default!;
    [Inject] private OwnerAskService Asks { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;

    /// <summary>The user's access to the tenant shown (a new value, after a plan change for instance, reloads the banner).</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    /// <summary>
    /// The period's usage when the page has it already (Overview and Usage, kept current by their refresh); without it
    /// the banner reads it once itself.
    /// </summary>
    [Parameter] public UsageReport? Report { get; set; }

    private QuotaNotice? Notice => (Report ?? _ownReport) is { } report && _status is { } status ? Describe(report, status, Access.Slug) : null;

    private bool CanManage => Access.Can(TenantPermission.ManageSubscription);

    // Asking helps when an owner can do something: not at an operator's suspension, which only an operator lifts.
    private static bool CanAsk(QuotaNotice notice) => notice.OwnerAction is not null;

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (Access != _loadedFor)
        {
            _loadedFor = Access;
            _status = await Statuses.GetAsync(CancellationToken.None);
            _ownReport = Report is null ? await Reports.CurrentAsync(CancellationToken.None) : null;
            _actor ??= await CurrentUser.GetActorAsync();
        }
        await LoadAskedAsync();
    }

    /// <summary>
    /// What the banner says for a period's usage and billing state, or null when there is nothing to say (every quota
    /// below the first threshold, not suspended).
    /// </summary>
    internal static QuotaNotice? Describe(UsageReport report, BillingStatus status, string slug)
    {
        var billing = TenantTabs.Path(slug, TenantTab.Billing);
        var planChange = $"{billing}?change=plan";
        // A trial that ended is refused like a suspension even before the trial-expiry job marks it suspended.
        if (status.Status == TenantStatus.Suspended || status.TrialExpired)
            return Suspended(status, billing, planChange);

        var plan = PlanCatalog.For(status.Tier);
        var resets = BillingFormat.Day(report.PeriodEnd);
        var items = (
            from m in report.Metrics
            let threshold = QuotaCalculator.HighestThresholdReached(m.Percentage)
            where threshold is not null
            let hard = !plan.AllowsOverage(m.Metric)
            orderby threshold descending, m.Percentage descending
            select new QuotaNoticeItem(m.Metric, threshold.Value, hard, hard ? HardLimitText(m, threshold.Value, resets) : OverageText(m, threshold.Value))).ToList();
        if (items.Count == 0)
            return null;

        var top = items[0];
        var full = QuotaCalculator.AlertThresholds[^1];
        var severity = (top.Threshold >= full, items.Any(i => i.HardLimit)) switch
        {
            (true, true) => Severity.Error,
            (true, false) or (false, true) => Severity.Warning,
            _ => Severity.Info,
        };
        var headline = $"{UsageMetrics.DisplayName(top.Metric)}: {(top.Threshold >= full ? "quota reached" : $"{top.Threshold} % of the quota used")}";
        var others = items.Count - 1;
        var title = others == 0
            ? headline
            : $"{headline}, and {others} more {(others == 1 ? "quota" : "quotas")} at {items[^1].Threshold} % or more";
        return new QuotaNotice(top.Threshold.ToString(CultureInfo.InvariantCulture), severity, title, null, items, "Upgrade", planChange);
    }

    private static QuotaNotice Suspended(BillingStatus status, string billing, string planChange)
    {
        const string title = "Requests are refused: the workspace is suspended";
        var since = status.SuspendedAt is { } at ? $" since {BillingFormat.Day(at)}" : "";
        if (status.SuspensionReason == SuspensionReason.Operator)
        {
            return new QuotaNotice("suspended", Severity.Error, title,
                $"The portal's operators suspended it{since}. Usage is still recorded, but every quota check is refused until an operator lifts the suspension: contact support.",
                [], null, null);
        }
        if (status.TrialExpired || status.SuspensionReason == SuspensionReason.TrialExpired)
        {
            return new QuotaNotice("suspended", Severity.Error, title,
                $"The trial of {status.Tier} ended without a plan{since}. Usage is still recorded, but every quota check is refused until a plan is chosen.",
                [], "Choose a plan", planChange);
        }
        var unpaid = status.UnpaidInvoiceNumber is { } number ? $" for the unpaid invoice {number}" : "";
        return new QuotaNotice("suspended", Severity.Error, title,
            $"It is suspended{since}{unpaid}. Usage is still recorded, but every quota check is refused until the invoice is paid or the payment method updated on Billing.",
            [], "Go to Billing", billing);
    }

    // Beyond a hard limit requests are refused: counters until the period resets, gauges until the level is back under
    // the quota, seats until one is free.
    private static string HardLimitText(MetricReport m, int threshold, string resets)
    {
        var used = Used(m);
        var reached = threshold >= QuotaCalculator.AlertThresholds[^1];
        return UsageMetrics.Kind(m.Metric) switch
        {
            MetricKind.Counter => reached
                ? $"{used}. Requests are being refused until the quota resets on {resets}."
                : $"{used}. Requests will be refused at 100 %, until the quota resets on {resets}.",
            MetricKind.Seats => reached
                ? $"{used}. Invitations are being refused until a seat is free."
                : $"{used}. Invitations will be refused at 100 %.",
            _ => reached
                ? $"{used}. Requests are being refused until the level is back under the quota."
                : $"{used}. Requests will be refused at 100 %.",
        };
    }

    private static string OverageText(MetricReport m, int threshold)
    {
        var price = BillingFormat.OveragePrice(m.Metric);
        return threshold >= QuotaCalculator.AlertThresholds[^1]
            ? $"{Used(m)}. Overage is billed at {price}: {BillingFormat.Quantity(m.Overage)} {UsageMetrics.Unit(m.Metric)} so far, {TenantPortal.Core.Common.Money.Format(m.OverageCents)}."
            : $"{Used(m)}. Beyond 100 %, overage is billed at {price}.";
    }

    private static string Used(MetricReport m) => string.Create(CultureInfo.InvariantCulture,
        $"{UsageMetrics.DisplayName(m.Metric)}: {m.Percentage:0.#} % of {BillingFormat.Quantity(m.Limit)} {UsageMetrics.Unit(m.Metric)} used ({BillingFormat.Quantity(m.Used)})");

    // What the banner is about: its quotas, or the suspension (null).
    private static IReadOnlyList<UsageMetric?> Subjects(QuotaNotice notice) =>
        notice.Items.Count == 0 ? [null] : notice.Items.Select(i => (UsageMetric?)i.Metric).ToList();

    // Whether this member has asked about everything the banner shows, this period (read again when that changes).
    private async Task LoadAskedAsync()
    {
        if (_actor is null || CanManage || Notice is not { } notice || !CanAsk(notice))
            return;
        var subjects = Subjects(notice);
        var key = string.Join(",", subjects.Select(s => s is { } m ? UsageMetrics.Name(m) : "suspended"));
        if (key == _askedFor)
            return;
        _askedFor = key;
        DateTimeOffset? latest = null;
        foreach (var subject in subjects)
        {
            var asked = await Asks.AskedAtAsync(_actor, subject, CancellationToken.None);
            if (!asked.IsSuccess || asked.Value is not { } at)
            {
                _askedAt = null;
                return;
            }
            latest = latest is { } l && l > at ? l : at;
        }
        _askedAt = latest;
    }

    private async Task AskAsync()
    {
        if (_actor is null || Notice is not { } notice || _asking)
            return;
        _asking = true;
        _askError = null;
        try
        {
            DateTimeOffset? latest = null;
            foreach (var subject in Subjects(notice))
            {
                var asked = await Asks.AskAsync(_actor, subject, CancellationToken.None);
                if (!asked.IsSuccess)
                {
                    _askError = asked.Error.Message;
                    return;
                }
                latest = latest is { } l && l > asked.Value.AskedAt ? l : asked.Value.AskedAt;
            }
            _askedAt = latest;
        }
        finally
        {
            _asking = false;
        }
    }
}
