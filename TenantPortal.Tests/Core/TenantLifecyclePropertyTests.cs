using CsCheck;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Tests.Core;

/// <summary>
/// Random lives of a tenant: sequences of every lifecycle event (the owner's choices, the billing jobs, Stripe's reports,
/// the operators' actions) by random actors at random times, with the invariants of
/// docs/decisions/0008-tenant-lifecycle.md checked after each event. A failure prints the shrunk sequence and its seed.
/// </summary>
public class TenantLifecyclePropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Who causes an event.</summary>
    public enum Actor
    {
        Owner,
        Operator,
        BillingJob,
        Stripe,
    }

    /// <summary>The events of a tenant's life, one per transition of <see cref="Tenant"/>.</summary>
    public enum Kind
    {
        Subscribe,
        ChangePlan,
        ScheduleChange,
        ResumeSubscription,
        SwitchToFree,
        Cancel,
        ApplyScheduledChange,
        EndAtPeriodEnd,
        RenewPeriod,
        MarkPastDue,
        SuspendForNonPayment,
        RecordPayment,
        RecordTrialReminder,
        SuspendForTrialEnd,
        ExtendTrial,
        SuspendByOperator,
        ReactivateByOperator,
        ChangeTierByOperator,
        ProviderSubscriptionLive,
        ProviderSubscriptionEnded,
        LinkStripeCustomer,
    }

    /// <summary>One event: what, by whom, how long after the previous one, and its arguments.</summary>
    public sealed record Step(Kind Kind, Actor Actor, int HoursLater, SubscriptionTier Tier, BillingCycle Cycle, bool Flag, int Number,
        ProviderSubscriptionStatus ProviderStatus, int OffsetHours)
    {
        public override string ToString() =>
            $"{Kind} by {Actor} +{HoursLater}h (tier {Tier}, {Cycle}, flag {Flag}, n {Number}, {ProviderStatus}, offset {OffsetHours}h)";
    }

    /// <summary>A tenant created on a tier with a trial length, and what happens to it.</summary>
    public sealed record Life(SubscriptionTier Tier, int TrialDays, Step[] Steps)
    {
        public override string ToString() => $"{Tier} with a {TrialDays}-day trial:{Environment.NewLine}  " +
            string.Join(Environment.NewLine + "  ", Steps.Select(s => s.ToString()));
    }

    private static readonly Gen<Step> StepGen =
        from kind in Gen.Enum<Kind>()
        from actorPick in Gen.Int[0, 2]
        from hours in Gen.OneOf<int>(Gen.Int[0, 6], Gen.Int[0, 24 * 40])
        from tier in Gen.Enum<SubscriptionTier>()
        from cycle in Gen.Enum<BillingCycle>()
        from flag in Gen.Bool
        from number in Gen.Int[1, 90]
        from status in Gen.OneOf(ProviderSubscriptionStatus.Active, ProviderSubscriptionStatus.Trialing, ProviderSubscriptionStatus.PastDue)
        from offset in Gen.Int[-72, 72]
        select new Step(kind, ActorOf(kind, actorPick), hours, tier, cycle, flag, number, status, offset);

    private static readonly Gen<Life> LifeGen =
        from tier in Gen.Enum<SubscriptionTier>()
        from trialDays in Gen.Int[1, 30]
        from steps in StepGen.Array[1, 60]
        select new Life(tier, trialDays, steps);

    [Fact]
    public void EveryRandomLife_KeepsTheLifecycleInvariants_AfterEachEvent() =>
        LifeGen.Sample(Live, iter: 4_000);

    // Payments are settled by Stripe, by the operators (marking a ledger invoice paid) or the dunning job; the rest
    // have one actor each.
    private static Actor ActorOf(Kind kind, int pick) => kind switch
    {
        Kind.Subscribe or Kind.ChangePlan or Kind.ScheduleChange or Kind.ResumeSubscription or Kind.SwitchToFree or Kind.Cancel => Actor.Owner,
        Kind.RecordPayment => new[] { Actor.Stripe, Actor.Operator, Actor.BillingJob }[pick],
        Kind.MarkPastDue => pick == 0 ? Actor.Stripe : Actor.BillingJob,
        Kind.ExtendTrial or Kind.SuspendByOperator or Kind.ReactivateByOperator or Kind.ChangeTierByOperator => Actor.Operator,
        Kind.ProviderSubscriptionLive or Kind.ProviderSubscriptionEnded or Kind.LinkStripeCustomer => Actor.Stripe,
        _ => Actor.BillingJob,
    };

    private static void Live(Life life)
    {
        var now = Start;
        var tenant = Tenant.Create("Random Co", "random-co", life.Tier, now, TimeSpan.FromDays(life.TrialDays));
        AssertInvariants(tenant, now, "created");
        foreach (var step in life.Steps)
        {
            now = now.AddHours(step.HoursLater);
            var before = Lifecycle.Of(tenant);
            var result = Apply(tenant, step, now);
            var after = Lifecycle.Of(tenant);
            var where = $"after {step}";

            if (!result.IsSuccess)
                Assert.True(before == after, $"A refused transition changed the tenant {where}: {result.Error.Message}{Environment.NewLine}{before}{Environment.NewLine}{after}");
            if (before.SuspensionReason == SuspensionReason.Operator && after.SuspensionReason != SuspensionReason.Operator)
                Assert.True(step.Actor == Actor.Operator, $"An operator's suspension was lifted by {step.Actor} {where}");
            if (before.Status == TenantStatus.Cancelled && after.Status != TenantStatus.Cancelled)
                Assert.True(step.Kind is Kind.Subscribe or Kind.SwitchToFree
                    || (step.Kind == Kind.ProviderSubscriptionLive && SubscriptionId(step) != before.StripeSubscriptionId),
                    $"A cancelled tenant came back without a new subscription {where}");
            AssertInvariants(tenant, now, where);
        }
    }

    private static Result Apply(Tenant tenant, Step step, DateTimeOffset now) => step.Kind switch
    {
        Kind.Subscribe => tenant.Subscribe(step.Tier, step.Cycle, now),
        Kind.ChangePlan => tenant.ChangePlan(step.Tier, step.Cycle, now),
        Kind.ScheduleChange => tenant.ScheduleChange(step.Tier, step.Cycle, tenant.PeriodEnd(now), now),
        Kind.ResumeSubscription => tenant.ResumeSubscription(now),
        Kind.SwitchToFree => tenant.SwitchToFree(now),
        Kind.Cancel => tenant.Cancel(atPeriodEnd: step.Flag, now),
        Kind.ApplyScheduledChange => tenant.ApplyScheduledChange(now),
        Kind.EndAtPeriodEnd => tenant.EndAtPeriodEnd(now),
        Kind.RenewPeriod => tenant.RenewPeriod(now),
        Kind.MarkPastDue => tenant.MarkPastDue(now.AddHours(-Math.Abs(step.OffsetHours)), now),
        Kind.SuspendForNonPayment => tenant.SuspendForNonPayment(TimeSpan.FromDays(step.Number % 15), now),
        Kind.RecordPayment => tenant.RecordPayment(now.AddHours(step.OffsetHours), now),
        Kind.RecordTrialReminder => tenant.RecordTrialReminder(now),
        Kind.SuspendForTrialEnd => tenant.SuspendForTrialEnd(now),
        Kind.ExtendTrial => tenant.ExtendTrial(TimeSpan.FromDays(step.Number), now),
        Kind.SuspendByOperator => tenant.SuspendByOperator(now),
        Kind.ReactivateByOperator => tenant.ReactivateByOperator(now),
        Kind.ChangeTierByOperator => tenant.ChangeTierByOperator(step.Tier, now),
        Kind.ProviderSubscriptionLive => tenant.ApplyProviderSubscription(new ProviderSubscription(SubscriptionId(step), step.ProviderStatus)
        {
            CustomerId = "cus_random",
            Tier = step.Flag ? step.Tier : null,
            Cycle = step.Flag ? step.Cycle : null,
            StartedAt = now.AddDays(-step.Number % 10),
            CurrentPeriodEndsAt = now.AddDays(step.Number % 40),
            CancelAtPeriodEnd = step.Number % 3 == 0,
            TrialEndsAt = step.ProviderStatus == ProviderSubscriptionStatus.Trialing ? now.AddDays(7) : null,
        }, now.AddHours(-Math.Abs(step.OffsetHours)), now),
        Kind.ProviderSubscriptionEnded => tenant.EndProviderSubscription(
            new ProviderSubscription(SubscriptionId(step), ProviderSubscriptionStatus.Ended) { CustomerId = "cus_random", EndedAt = now },
            now, now),
        Kind.LinkStripeCustomer => tenant.LinkStripeCustomer("cus_random") ? Result.Success() : Error.Conflict("linked already"),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step.Kind, null),
    };

    private static string SubscriptionId(Step step) => $"sub_{step.Number % 3}";

    private static void AssertInvariants(Tenant t, DateTimeOffset now, string where)
    {
        Assert.False(t is { Tier: SubscriptionTier.Free, Status: TenantStatus.PastDue }, $"Free is never PastDue; {where}");
        Assert.False(t is { Status: TenantStatus.Trial, TrialEndsAt: null }, $"A trial has an end; {where}");
        Assert.False(t.PendingTier is not null && !(t.HasPaidSubscription && t.PendingChangeAt is not null && !t.CancelAtPeriodEnd),
            $"A pending change belongs to a running paid subscription that does not end; {where}");
        Assert.False(t.HasPaidSubscription && (t.Tier == SubscriptionTier.Free || t.SubscriptionStartedAt is null), $"A paid subscription has a paid tier and a start; {where}");
        Assert.False(t.CancelAtPeriodEnd && (t.Status == TenantStatus.Cancelled || t.Tier == SubscriptionTier.Free),
            $"Only a running paid subscription ends at its period end; {where}");
        Assert.False(t.Status == TenantStatus.Suspended && t.SuspensionReason is null, $"A suspension says who suspended; {where}");
        Assert.False(t.SuspensionReason is { } reason && !(t.Status == TenantStatus.Suspended || (t.Status == TenantStatus.Cancelled && reason == SuspensionReason.Operator)),
            $"A suspension reason is kept only while suspended (or an operator's on a cancelled tenant); {where}");
        Assert.False(t.Status == TenantStatus.PastDue && t.PastDueSince is null, $"PastDue says since when; {where}");
        Assert.False(t.PastDueSince is not null && t.Status is not (TenantStatus.PastDue or TenantStatus.Suspended), $"Dunning ends with PastDue or a suspension; {where}");
        Assert.False(t.SuspensionReason == SuspensionReason.TrialExpired && (t.TrialEndsAt is null || t.HasPaidSubscription),
            $"An ended trial had an end and no subscription; {where}");

        // The status rule of the quota check: suspended and cancelled tenants are denied whatever the amount, and the
        // reason says why; running tenants are not denied for their status.
        var decision = QuotaService.Decide(t, UsageMetric.ApiCalls, used: 0, amount: 0, now);
        var expected = t switch
        {
            _ when t.IsTrialExpired(now) => QuotaDenial.TrialExpired,
            { Status: TenantStatus.Suspended } => QuotaDenial.Suspended,
            { Status: TenantStatus.Cancelled, SuspensionReason: SuspensionReason.Operator } => QuotaDenial.Suspended,
            { Status: TenantStatus.Cancelled } => QuotaDenial.Cancelled,
            _ => null,
        };
        Assert.True(decision.Reason == expected && decision.Allowed == (expected is null),
            $"The quota check answered {decision.Allowed}/{decision.Reason} for a {t.Status} ({t.SuspensionReason}) tenant; {where}");
        Assert.False(t.Status is TenantStatus.Suspended or TenantStatus.Cancelled && decision.Allowed, $"A suspended or cancelled tenant's quota checks deny; {where}");
    }

    // Every lifecycle field: a refused transition leaves all of them as they were.
    private sealed record Lifecycle(
        SubscriptionTier Tier, TenantStatus Status, SuspensionReason? SuspensionReason, BillingCycle Cycle, string? StripeCustomerId,
        string? StripeSubscriptionId, DateTimeOffset? TrialEndsAt, DateTimeOffset? SubscriptionStartedAt, DateTimeOffset? CurrentPeriodEndsAt,
        bool CancelAtPeriodEnd, SubscriptionTier? PendingTier, BillingCycle? PendingCycle, DateTimeOffset? PendingChangeAt,
        DateTimeOffset? TrialReminderSentAt, DateTimeOffset? StripeStateAt, DateTimeOffset? PastDueSince, DateTimeOffset? SuspendedAt)
    {
        public static Lifecycle Of(Tenant t) => new(t.Tier, t.Status, t.SuspensionReason, t.BillingCycle, t.StripeCustomerId, t.StripeSubscriptionId,
            t.TrialEndsAt, t.SubscriptionStartedAt, t.CurrentPeriodEndsAt, t.CancelAtPeriodEnd, t.PendingTier, t.PendingCycle, t.PendingChangeAt,
            t.TrialReminderSentAt, t.StripeStateAt, t.PastDueSince, t.SuspendedAt);
    }
}
