using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Operations;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>An operator's suspension is lifted only by an operator: never by the owner choosing a plan on the ledger.</summary>
public abstract class OperatorSuspensionTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : OperatorSuspensionTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : OperatorSuspensionTests(DatabaseProvider.PostgreSql);

    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Uri ReturnUrl = new("https://portal.test/t/held/billing");
    private readonly BillingScenario _s = new(provider);

    public Task InitializeAsync() => _s.InitializeAsync();

    public Task DisposeAsync() => _s.DisposeAsync();

    [Theory]
    [InlineData(SubscriptionTier.Free, SubscriptionTier.Starter)]
    [InlineData(SubscriptionTier.Professional, SubscriptionTier.Starter)]
    [InlineData(SubscriptionTier.Professional, SubscriptionTier.Free)]
    public async Task ChangePlan_KeepsAnOperatorsSuspension_WhenTheOwnerPicksAPlanOnTheLedger(SubscriptionTier from, SubscriptionTier to)
    {
        var tenant = await _s.AddTenantAsync("held", from, BillingScenario.November, from == SubscriptionTier.Free ? TenantStatus.Active : TenantStatus.Trial);
        var op = await _s.OperatorAsync();
        var suspended = await _s.Services.RunAsync<OperatorTenantService, Result>(o => o.SuspendAsync(op, tenant.Id, "abuse report 4711", None));
        Assert.True(suspended.IsSuccess, suspended.Error?.Message);

        var changed = await _s.BillingAsync(tenant.Id, b => b.ChangePlanAsync(_s.Bed.ActorOf("owner"), to, BillingCycle.Monthly, ReturnUrl, None));

        Assert.Equal(ErrorCodes.Conflict, changed.Error?.Code);
        Assert.Contains("operator", changed.Error!.Message);
        var after = await _s.TenantAsync(tenant.Id);
        Assert.Equal((TenantStatus.Suspended, from), (after.Status, after.Tier));
        var check = await _s.Services.RunAsync<QuotaService, Result<QuotaDecision>>(q => q.CheckAsync(UsageMetric.ApiCalls, 1, None), tenant.Id);
        Assert.Equal((false, QuotaDenial.Suspended), (check.Value.Allowed, check.Value.Reason));
    }

    [Fact]
    public async Task SettlingTheOverdueInvoice_LiftsDunning_ButNotAnOperatorsSuspension()
    {
        var tenant = await _s.AddTenantAsync("held", SubscriptionTier.Starter, BillingScenario.October);
        await _s.InvoiceAsync();
        var invoice = (await _s.InvoicesAsync(tenant.Id)).Single();
        _s.Bed.Time.SetUtcNow(invoice.DueAt.AddDays(1));
        await _s.Services.RunAsync<DunningService, (int, int)>(d => d.RunAsync(None));
        var op = await _s.OperatorAsync();
        await _s.Services.RunAsync<OperatorTenantService, Result>(o => o.SuspendAsync(op, tenant.Id, "chargeback investigation", None));

        var paid = await _s.Services.RunAsync<InvoiceSettlementService, Result>(s => s.MarkPaidAsync(op, invoice.Id, "bank transfer", None));

        Assert.True(paid.IsSuccess, paid.Error?.Message);
        var after = await _s.TenantAsync(tenant.Id);
        Assert.Equal((TenantStatus.Suspended, SuspensionReason.Operator, (DateTimeOffset?)null), (after.Status, after.SuspensionReason, after.PastDueSince));
    }

    [Fact]
    public async Task CancellingWhileHeld_EndsTheSubscription_AndOnlyAnOperatorLiftsTheHold()
    {
        var tenant = await _s.AddTenantAsync("held", SubscriptionTier.Starter, BillingScenario.October);
        var op = await _s.OperatorAsync();
        await _s.Services.RunAsync<OperatorTenantService, Result>(o => o.SuspendAsync(op, tenant.Id, "abuse report 4711", None));
        var owner = _s.Bed.ActorOf("owner");

        var cancelled = await _s.BillingAsync(tenant.Id, b => b.CancelAsync(owner, atPeriodEnd: false, None));
        var resubscribed = await _s.BillingAsync(tenant.Id, b => b.ChangePlanAsync(owner, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, None));
        var held = await _s.TenantAsync(tenant.Id);
        var quota = await _s.Services.RunAsync<QuotaService, Result<QuotaDecision>>(q => q.CheckAsync(UsageMetric.ApiCalls, 1, None), tenant.Id);
        var lifted = await _s.Services.RunAsync<OperatorTenantService, Result>(o => o.ReactivateAsync(op, tenant.Id, "resolved", None));

        Assert.True(cancelled.IsSuccess, cancelled.Error?.Message);
        Assert.Equal(ErrorCodes.Conflict, resubscribed.Error?.Code);
        Assert.Equal((TenantStatus.Cancelled, SuspensionReason.Operator), (held.Status, held.SuspensionReason));
        Assert.Equal(QuotaDenial.Suspended, quota.Value.Reason);
        Assert.True(lifted.IsSuccess, lifted.Error?.Message);
        var after = await _s.TenantAsync(tenant.Id);
        Assert.Equal((TenantStatus.Cancelled, (SuspensionReason?)null), (after.Status, after.SuspensionReason));
        var subscribed = await _s.BillingAsync(tenant.Id, b => b.ChangePlanAsync(owner, SubscriptionTier.Starter, BillingCycle.Monthly, ReturnUrl, None));
        Assert.True(subscribed.IsSuccess, subscribed.Error?.Message);
        Assert.Equal(TenantStatus.Active, (await _s.TenantAsync(tenant.Id)).Status);
    }
}
