using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>Plans on the local ledger: subscribe, upgrade now, downgrade at the period end, cancel, reactivate.</summary>
public abstract class BillingServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : BillingServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : BillingServiceTests(DatabaseProvider.PostgreSql);

    private static readonly Uri ReturnUrl = new("https://portal.test/t/x/billing");
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly BillingScenario _s = new(provider);
    private Actor Owner => _s.Bed.ActorOf("owner");

    public Task InitializeAsync() => _s.InitializeAsync();

    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public async Task Subscribing_FromATrial_StartsThePaidPlanNow_AndThePreviewWasRight()
    {
        var t = await _s.AddTenantAsync("trialist", SubscriptionTier.Starter, BillingScenario.November.AddDays(10), TenantStatus.Trial);
        var preview = (await _s.BillingAsync(t.Id, b => b.PreviewChangeAsync(Owner, SubscriptionTier.Professional, BillingCycle.Monthly, None))).Value;
        Assert.Equal(PlanChangeKind.Subscribe, preview.Kind);
        Assert.True(preview.Allowed);

        var outcome = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(Owner, SubscriptionTier.Professional, BillingCycle.Monthly, ReturnUrl, None));

        Assert.True(outcome.IsSuccess, outcome.Error?.Message);
        Assert.Null(outcome.Value.RedirectUrl);
        var after = await _s.TenantAsync(t.Id);
        Assert.Equal((SubscriptionTier.Professional, TenantStatus.Active), (after.Tier, after.Status));
        Assert.Equal(_s.Bed.Time.GetUtcNow(), after.SubscriptionStartedAt);
        Assert.Equal(BillingScenario.November.AddMonths(1), after.CurrentPeriodEndsAt);
        // 8.5 of November's 30 days at $199: the preview said so, and the upcoming invoice says so now.
        Assert.Equal(5_638, preview.ProrationCents);
        var overview = (await _s.BillingAsync(t.Id, b => b.GetOverviewAsync(Owner, None))).Value;
        Assert.Equal(5_638, overview.Upcoming.TotalCents);
        Assert.True(overview.HasPaidSubscription);
    }

    [Fact]
    public async Task Upgrading_AppliesAtOnce_WithTheProrationThePreviewShowed()
    {
        var t = await _s.AddTenantAsync("grower", SubscriptionTier.Starter, BillingScenario.October);
        var preview = (await _s.BillingAsync(t.Id, b => b.PreviewChangeAsync(Owner, SubscriptionTier.Professional, BillingCycle.Monthly, None))).Value;
        var before = (await _s.BillingAsync(t.Id, b => b.GetOverviewAsync(Owner, None))).Value.Upcoming.TotalCents;

        var outcome = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(Owner, SubscriptionTier.Professional, BillingCycle.Monthly, ReturnUrl, None));

        Assert.Equal(PlanChangeKind.Upgrade, outcome.Value.Kind);
        Assert.Equal(SubscriptionTier.Professional, (await _s.TenantAsync(t.Id)).Tier);
        var upcoming = (await _s.BillingAsync(t.Id, b => b.GetOverviewAsync(Owner, None))).Value.Upcoming;
        Assert.Equal(before + preview.ProrationCents, upcoming.TotalCents);
        Assert.Equal(preview.UpcomingTotalCents, upcoming.TotalCents);
        Assert.Equal(2, upcoming.Lines.Count(l => l.Kind == InvoiceLineKind.Base));
        await AssertAuditedAsync(t.Id, AuditActions.PlanChanged);
    }

    [Fact]
    public async Task Downgrading_IsScheduledForThePeriodEnd_AndTheRenewalJobAppliesIt()
    {
        var t = await _s.AddTenantAsync("shrinker", SubscriptionTier.Professional, BillingScenario.October);

        var outcome = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(Owner, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, None));

        Assert.True(outcome.IsSuccess, outcome.Error?.Message);
        Assert.Equal((PlanChangeKind.Downgrade, BillingScenario.November.AddMonths(1)), (outcome.Value.Kind, outcome.Value.EffectiveAt));
        var scheduled = await _s.TenantAsync(t.Id);
        Assert.Equal((SubscriptionTier.Professional, SubscriptionTier.Starter), (scheduled.Tier, scheduled.PendingTier!.Value));

        _s.Bed.Time.SetUtcNow(BillingScenario.November.AddMonths(1).AddMinutes(5));
        var changed = await _s.Services.RunAsync<SubscriptionRenewalService, int>(r => r.RunAsync(None));

        // The downgrade, and the bed's alpha (a monthly Starter subscriber) renewing for December.
        Assert.Equal(2, changed);
        var after = await _s.TenantAsync(t.Id);
        Assert.Equal((SubscriptionTier.Starter, (SubscriptionTier?)null), (after.Tier, after.PendingTier));
        // November is billed at Professional in full; December starts on Starter.
        _s.Bed.Time.SetUtcNow(BillingScenario.November.AddMonths(1).AddDays(2));
        await _s.InvoiceAsync();
        Assert.Equal(19_900, (await _s.InvoicesAsync(t.Id)).Single(i => i.PeriodStart == BillingScenario.November).TotalCents);
    }

    [Fact]
    public async Task Downgrading_IsRefused_WhileUsageExceedsTheLowerPlansHardLimits_NamingThem()
    {
        var t = await _s.AddTenantAsync("crowded", SubscriptionTier.Professional, BillingScenario.October);
        await _s.UseAsync(t.Id, UsageMetric.Studies, 12_000, _s.Bed.Time.GetUtcNow().AddHours(-1));

        var preview = (await _s.BillingAsync(t.Id, b => b.PreviewChangeAsync(Owner, SubscriptionTier.Starter, BillingCycle.Monthly, None))).Value;
        var refused = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(Owner, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, None));

        Assert.False(preview.Allowed);
        Assert.Equal(["Studies: 12,000 studies in use, Starter allows 10,000"], preview.Blockers);
        Assert.Equal(ErrorCodes.DowngradeBlocked, refused.Error?.Code);
        Assert.Contains("Studies: 12,000", refused.Error!.Message);
        var unchanged = await _s.TenantAsync(t.Id);
        Assert.Equal((SubscriptionTier.Professional, (SubscriptionTier?)null), (unchanged.Tier, unchanged.PendingTier));
    }

    [Fact]
    public async Task CancellingAtPeriodEnd_CanBeWithdrawn_ElseTheSubscriptionEndsThen()
    {
        var t = await _s.AddTenantAsync("leaver", SubscriptionTier.Starter, BillingScenario.October);

        Assert.True((await _s.BillingAsync(t.Id, b => b.CancelAsync(Owner, atPeriodEnd: true, None))).IsSuccess);
        Assert.True((await _s.TenantAsync(t.Id)).CancelAtPeriodEnd);
        Assert.True((await _s.BillingAsync(t.Id, b => b.ReactivateAsync(Owner, None))).IsSuccess);
        Assert.False((await _s.TenantAsync(t.Id)).CancelAtPeriodEnd);
        await AssertAuditedAsync(t.Id, AuditActions.SubscriptionReactivated);

        Assert.True((await _s.BillingAsync(t.Id, b => b.CancelAsync(Owner, atPeriodEnd: true, None))).IsSuccess);
        _s.Bed.Time.SetUtcNow(BillingScenario.November.AddMonths(1).AddMinutes(1));
        await _s.Services.RunAsync<SubscriptionRenewalService, int>(r => r.RunAsync(None));

        Assert.Equal(TenantStatus.Cancelled, (await _s.TenantAsync(t.Id)).Status);
        Assert.Equal(ErrorCodes.NoSubscription, (await _s.BillingAsync(t.Id, b => b.ReactivateAsync(Owner, None))).Error?.Code);
    }

    [Fact]
    public async Task CancellingAtOnce_EndsTheSubscription_AndChargesOnlyTheTimeUsed()
    {
        var t = await _s.AddTenantAsync("quitter", SubscriptionTier.Starter, BillingScenario.October);

        var outcome = await _s.BillingAsync(t.Id, b => b.CancelAsync(Owner, atPeriodEnd: false, None));

        Assert.True(outcome.IsSuccess);
        Assert.Equal(TenantStatus.Cancelled, (await _s.TenantAsync(t.Id)).Status);
        var upcoming = (await _s.BillingAsync(t.Id, b => b.GetOverviewAsync(Owner, None))).Value.Upcoming;
        Assert.Equal(3_512, upcoming.TotalCents); // 21.5 of 30 days of $49
        await AssertAuditedAsync(t.Id, AuditActions.SubscriptionCancelled);
    }

    [Fact]
    public async Task ATrial_HasNothingToCancel_AndMovesToFreeInstead()
    {
        var t = await _s.AddTenantAsync("undecided", SubscriptionTier.Starter, BillingScenario.November, TenantStatus.Trial);

        Assert.Equal(ErrorCodes.NoSubscription, (await _s.BillingAsync(t.Id, b => b.CancelAsync(Owner, true, None))).Error?.Code);
        var free = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(Owner, SubscriptionTier.Free, BillingCycle.Monthly, ReturnUrl, None));

        Assert.Equal(PlanChangeKind.SwitchToFree, free.Value.Kind);
        Assert.Equal((SubscriptionTier.Free, TenantStatus.Active), ((await _s.TenantAsync(t.Id)).Tier, (await _s.TenantAsync(t.Id)).Status));
    }

    [Fact]
    public async Task OnlyAnOwner_ChangesThePlan_AnAdminMayLook()
    {
        var t = await _s.AddTenantAsync("guarded", SubscriptionTier.Starter, BillingScenario.October);
        await using (var db = _s.Bed.Database.CrossTenant())
        {
            db.Members.Add(new TenantMember { TenantId = t.Id, UserId = _s.Bed.Users["admin"].Id, Role = TenantRole.Admin, JoinedAt = BillingScenario.October });
            await db.SaveChangesAsync();
        }
        var admin = _s.Bed.ActorOf("admin");

        Assert.True((await _s.BillingAsync(t.Id, b => b.GetOverviewAsync(admin, None))).IsSuccess);
        var refused = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(admin, SubscriptionTier.Professional, BillingCycle.Monthly, ReturnUrl, None));

        Assert.Equal(ErrorCodes.Forbidden, refused.Error?.Code);
        Assert.Equal(SubscriptionTier.Starter, (await _s.TenantAsync(t.Id)).Tier);
    }

    [Fact]
    public async Task BadInput_IsRefused_NamingTheField()
    {
        var t = await _s.AddTenantAsync("typo", SubscriptionTier.Starter, BillingScenario.October);

        var tier = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(Owner, (SubscriptionTier)42, BillingCycle.Monthly, ReturnUrl, None));
        var cycle = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(Owner, SubscriptionTier.Free, BillingCycle.Annual, ReturnUrl, None));
        var same = await _s.BillingAsync(t.Id, b => b.ChangePlanAsync(Owner, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, None));

        Assert.Equal(("invalid", "tier"), (tier.Error!.Code, tier.Error.Field!));
        Assert.Equal(("invalid", "cycle"), (cycle.Error!.Code, cycle.Error.Field!));
        Assert.Equal(ErrorCodes.SamePlan, same.Error?.Code);
    }

    private async Task AssertAuditedAsync(Guid tenantId, string action)
    {
        await using var db = _s.Bed.Database.CrossTenant();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.TenantId == tenantId && a.Action == action && a.Actor == "owner@alpha.test"));
    }
}
