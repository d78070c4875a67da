using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Tests.Builders;

/// <summary>
/// Builds a valid tenant; change only what a test is about. The tenant reaches its state through its own transitions
/// (created, subscribed, past due, suspended, …), as a real one would, so a test never holds a state the tenant could not
/// be in. Defaults: Starter, Active, subscribed monthly since its creation on 1 January 2026.
/// </summary>
public sealed class TenantBuilder
{
    public static readonly DateTimeOffset DefaultCreatedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan DefaultTrial = TimeSpan.FromDays(14);

    private static int _sequence;
    private readonly List<PlanSwitch> _history = [];
    private string _name;
    private string _slug;
    private SubscriptionTier _tier = SubscriptionTier.Starter;
    private BillingCycle _cycle = BillingCycle.Monthly;
    private TenantStatus _status = TenantStatus.Active;
    private SuspensionReason _suspension = SuspensionReason.Operator;
    private bool _subscribed = true;
    private DateTimeOffset _createdAt = DefaultCreatedAt;
    private DateTimeOffset? _trialEndsAt;
    private DateTimeOffset? _pastDueSince;
    private DateTimeOffset? _now;

    public TenantBuilder()
    {
        var n = Interlocked.Increment(ref _sequence);
        _name = $"Tenant {n}";
        _slug = $"tenant-{n}";
    }

    /// <summary>The plan switches the build made, oldest first: what the tenant's plan history holds.</summary>
    public IReadOnlyList<PlanSwitch> PlanHistory => _history;

    public TenantBuilder WithSlug(string slug)
    {
        _slug = slug;
        return this;
    }

    public TenantBuilder WithName(string name)
    {
        _name = name;
        return this;
    }

    public TenantBuilder OnPlan(SubscriptionTier tier, BillingCycle cycle = BillingCycle.Monthly)
    {
        (_tier, _cycle) = (tier, cycle);
        return this;
    }

    /// <summary>The status to reach. Suspended means suspended by an operator unless <see cref="SuspendedFor"/> says otherwise.</summary>
    public TenantBuilder WithStatus(TenantStatus status)
    {
        _status = status;
        return this;
    }

    /// <summary>Suspended for <paramref name="reason"/>: by an operator, at the end of its trial, or by dunning.</summary>
    public TenantBuilder SuspendedFor(SuspensionReason reason)
    {
        (_status, _suspension) = (TenantStatus.Suspended, reason);
        return this;
    }

    public TenantBuilder CreatedAt(DateTimeOffset at)
    {
        _createdAt = at;
        return this;
    }

    /// <summary>The trial (of a paid tier) ends at <paramref name="end"/> instead of 14 days after creation.</summary>
    public TenantBuilder WithTrialEndingAt(DateTimeOffset end)
    {
        _trialEndsAt = end;
        return this;
    }

    /// <summary>PastDue (or suspended for non-payment) with dunning counted from <paramref name="since"/>.</summary>
    public TenantBuilder PastDueSince(DateTimeOffset since)
    {
        _pastDueSince = since;
        return this;
    }

    /// <summary>
    /// A paid tier without a subscription: created on Free and moved to the tier by an operator, free of charge (Active
    /// only). By default an Active paid tier is subscribed from its creation.
    /// </summary>
    public TenantBuilder Unsubscribed()
    {
        _subscribed = false;
        return this;
    }

    /// <summary>When the transitions after the creation happen (the suspension, the payment failure, …); default: the creation.</summary>
    public TenantBuilder At(DateTimeOffset now)
    {
        _now = now;
        return this;
    }

    public Tenant Build()
    {
        _history.Clear();
        var trialEnd = _trialEndsAt ?? _createdAt + DefaultTrial;
        var granted = _status == TenantStatus.Active && _tier != SubscriptionTier.Free && !_subscribed;
        var tenant = Tenant.Create(_name, _slug, granted ? SubscriptionTier.Free : _tier, _createdAt, trialEnd - _createdAt);
        _history.Add(tenant.InitialPlan);
        var now = _now ?? _createdAt;

        if (granted)
            _history.Add(Ensure(tenant.ChangeTierByOperator(_tier, _createdAt)));
        else if (_status == TenantStatus.Trial || (_status == TenantStatus.Suspended && _suspension == SuspensionReason.TrialExpired))
        {
            if (_tier == SubscriptionTier.Free)
                throw new InvalidOperationException("Free has no trial.");
            if (_status == TenantStatus.Suspended)
                Ensure(tenant.SuspendForTrialEnd(now > trialEnd ? now : trialEnd));
        }
        else
        {
            if (_tier != SubscriptionTier.Free)
                _history.Add(Ensure(tenant.Subscribe(_tier, _cycle, _createdAt)));
            switch (_status)
            {
                case TenantStatus.Active:
                    break;
                case TenantStatus.PastDue:
                    Ensure(tenant.MarkPastDue(_pastDueSince ?? now, now));
                    break;
                case TenantStatus.Suspended when _suspension == SuspensionReason.NonPayment:
                    Ensure(tenant.MarkPastDue(_pastDueSince ?? now, now));
                    Ensure(tenant.SuspendForNonPayment(TimeSpan.Zero, now));
                    break;
                case TenantStatus.Suspended:
                    Ensure(tenant.SuspendByOperator(now));
                    break;
                case TenantStatus.Cancelled:
                    _history.Add(Ensure(tenant.Cancel(atPeriodEnd: false, now)));
                    break;
                default:
                    throw new InvalidOperationException($"The builder does not reach {_status}.");
            }
        }
        return tenant;
    }

    private static void Ensure(Result result)
    {
        if (!result.IsSuccess)
            throw new InvalidOperationException($"The builder's transition was refused: {result.Error.Message}");
    }

    private static T Ensure<T>(Result<T> result)
    {
        Ensure((Result)result);
        return result.Value;
    }
}
