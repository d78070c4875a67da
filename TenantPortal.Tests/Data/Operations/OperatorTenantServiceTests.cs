using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Invitations;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Operations;
using TenantPortal.Tests.Data.Billing;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Operations;

/// <summary>
/// The operators' actions on one tenant: each changes what it should, writes its audit entry with the reason, is refused
/// for anyone without the Operator role, changes nothing on bad input, and is visible to the tenant.
/// </summary>
public abstract class OperatorTenantServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : OperatorTenantServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : OperatorTenantServiceTests(DatabaseProvider.PostgreSql);

    private static readonly CancellationToken None = CancellationToken.None;
    private readonly BillingScenario _s = new(provider);

    public Task InitializeAsync() => _s.InitializeAsync();

    public Task DisposeAsync() => _s.DisposeAsync();

    private Guid Alpha => _s.Bed.AlphaId;

    [Fact]
    public async Task GetAsync_ReturnsMembersInvitationsUsageAndAudit_ForAnOperator()
    {
        await _s.UseAsync(Alpha, UsageMetric.ApiCalls, 1_234, _s.Bed.Time.GetUtcNow().AddHours(-1));
        var op = await _s.OperatorAsync();
        Assert.True((await RunAsync(s => s.SetQuotaOverrideAsync(op, Alpha, UsageMetric.GpuHours, 75, "pilot project", None))).IsSuccess);

        var detail = (await RunAsync(s => s.GetAsync(op, Alpha, None))).Value;

        Assert.Equal(("alpha", SubscriptionTier.Starter), (detail.Slug, detail.Tier));
        Assert.Equal(6, detail.Members.Count);
        Assert.Contains(detail.Members, m => m.Email == "owner@alpha.test" && m.Role == TenantRole.Owner);
        Assert.Equal(TenancyTestBed.PendingInviteEmail, Assert.Single(detail.Invitations).Email);
        var api = detail.Usage.Single(u => u.Metric == UsageMetric.ApiCalls);
        Assert.Equal((1_234m, 100_000m, (decimal?)null, 100_000m), (api.Used, api.PlanLimit, api.Override, api.Limit));
        var gpu = detail.Usage.Single(u => u.Metric == UsageMetric.GpuHours);
        Assert.Equal((50m, (decimal?)75m, "pilot project", 75m), (gpu.PlanLimit, gpu.Override, gpu.OverrideReason, gpu.Limit));
        Assert.Contains(detail.Invoices, i => i.Number == TenancyTestBed.AlphaInvoiceNumber);
        Assert.Equal(AuditActions.OperatorQuotaOverrideSet, detail.Audit[0].Action);
    }

    [Fact]
    public async Task GetAsync_ShowsTheTenantsOwnerTwoFactorRequirement()
    {
        var op = await _s.OperatorAsync();
        Assert.False((await RunAsync(s => s.GetAsync(op, Alpha, None))).Value.RequireOwnerTwoFactor);
        await using (var db = _s.Bed.Database.CrossTenant())
            await db.Tenants.Where(t => t.Id == Alpha).ExecuteUpdateAsync(x => x.SetProperty(t => t.RequireOwnerTwoFactor, true));

        Assert.True((await RunAsync(s => s.GetAsync(op, Alpha, None))).Value.RequireOwnerTwoFactor);
    }

    [Fact]
    public async Task GetAsync_IsForbidden_ForTheTenantsOwner_AndNotFound_ForAnUnknownTenant()
    {
        var owner = await RunAsync(s => s.GetAsync(_s.Bed.ActorOf("owner"), Alpha, None));
        var unknown = await RunAsync(async s => s.GetAsync(await _s.OperatorAsync(), Guid.NewGuid(), None).Result);

        Assert.Equal(ErrorCodes.Forbidden, owner.Error?.Code);
        Assert.Equal(ErrorCodes.NotFound, unknown.Error?.Code);
    }

    [Fact]
    public async Task SuspendAsync_SuspendsWithTheReasonAudited_AndQuotaChecksDenyWithSuspended()
    {
        var op = await _s.OperatorAsync();

        var result = await RunAsync(s => s.SuspendAsync(op, Alpha, "  abuse report #42 ", None));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var tenant = await _s.TenantAsync(Alpha);
        Assert.Equal((TenantStatus.Suspended, _s.Bed.Time.GetUtcNow()), (tenant.Status, tenant.SuspendedAt!.Value));
        var entry = await LastAuditAsync(Alpha);
        Assert.Equal((AuditActions.OperatorSuspended, op.UserId), (entry.Action, entry.ActorUserId));
        Assert.EndsWith("reason: abuse report #42", entry.Details);
        var check = await _s.Services.RunAsync<QuotaService, Result<QuotaDecision>>(q => q.CheckAsync(UsageMetric.ApiCalls, 1, None), Alpha);
        Assert.Equal((false, QuotaDenial.Suspended), (check.Value.Allowed, check.Value.Reason));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task SuspendAsync_ChangesNothing_WhenTheReasonIsMissing(string? reason)
    {
        var result = await RunAsync(async s => await s.SuspendAsync(await _s.OperatorAsync(), Alpha, reason, None));

        Assert.Equal((ErrorCodes.Invalid, "reason"), (result.Error?.Code, result.Error?.Field));
        Assert.Equal(TenantStatus.Active, (await _s.TenantAsync(Alpha)).Status);
        Assert.DoesNotContain(await AuditAsync(Alpha), e => e.Action.StartsWith("operator.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReactivateAsync_MakesASuspendedSubscriberActive_WithTheReasonAudited()
    {
        var op = await _s.OperatorAsync();
        await RunAsync(s => s.SuspendAsync(op, Alpha, "abuse report", None));

        var result = await RunAsync(s => s.ReactivateAsync(op, Alpha, "resolved with the customer", None));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var tenant = await _s.TenantAsync(Alpha);
        Assert.Equal((TenantStatus.Active, (DateTimeOffset?)null), (tenant.Status, tenant.SuspendedAt));
        var entry = await LastAuditAsync(Alpha);
        Assert.Equal(AuditActions.OperatorReactivated, entry.Action);
        Assert.Contains("reason: resolved with the customer", entry.Details);
        var check = await _s.Services.RunAsync<QuotaService, Result<QuotaDecision>>(q => q.CheckAsync(UsageMetric.ApiCalls, 1, None), Alpha);
        Assert.True(check.Value.Allowed);
    }

    [Fact]
    public async Task ReactivateAsync_PutsATenantBackOnItsTrial_WhenTheTrialHasNotEnded()
    {
        var t = await _s.AddTenantAsync("tryout", SubscriptionTier.Starter, BillingScenario.November, TenantStatus.Trial,
            trialEndsAt: _s.Bed.Time.GetUtcNow().AddDays(5));
        var op = await _s.OperatorAsync();
        await RunAsync(s => s.SuspendAsync(op, t.Id, "fraud check", None));

        await RunAsync(s => s.ReactivateAsync(op, t.Id, "fraud check passed", None));

        Assert.Equal(TenantStatus.Trial, (await _s.TenantAsync(t.Id)).Status);
    }

    [Fact]
    public async Task ReactivateAsync_IsAConflict_WhenTheTenantIsNotSuspended()
    {
        var result = await RunAsync(async s => await s.ReactivateAsync(await _s.OperatorAsync(), Alpha, "why not", None));

        Assert.Equal(ErrorCodes.Conflict, result.Error?.Code);
    }

    [Fact]
    public async Task ChangeTierAsync_SwitchesThePlanAtOnce_ChargedForASubscriber()
    {
        var t = await _s.AddTenantAsync("payer", SubscriptionTier.Starter, BillingScenario.October);
        var op = await _s.OperatorAsync();

        var result = await RunAsync(s => s.ChangeTierAsync(op, t.Id, SubscriptionTier.Professional, "sales deal", None));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(SubscriptionTier.Professional, (await _s.TenantAsync(t.Id)).Tier);
        var segments = await SegmentsAsync(t.Id);
        Assert.Equal([(SubscriptionTier.Starter, true), (SubscriptionTier.Professional, true)], segments.Select(x => (x.Tier, x.Charged)));
        Assert.Equal(_s.Bed.Time.GetUtcNow(), segments[0].EndsAt);
        var entry = await LastAuditAsync(t.Id);
        Assert.Equal(AuditActions.OperatorTierChanged, entry.Action);
        Assert.Contains("Starter → Professional, charged from now; reason: sales deal", entry.Details);
    }

    [Fact]
    public async Task ChangeTierAsync_IsNotCharged_OnATrial()
    {
        var t = await _s.AddTenantAsync("tryout", SubscriptionTier.Starter, BillingScenario.November, TenantStatus.Trial);

        await RunAsync(async s => await s.ChangeTierAsync(await _s.OperatorAsync(), t.Id, SubscriptionTier.Enterprise, "evaluation", None));

        var segments = await SegmentsAsync(t.Id);
        Assert.Equal((SubscriptionTier.Enterprise, false), (segments[^1].Tier, segments[^1].Charged));
        Assert.Equal(TenantStatus.Trial, (await _s.TenantAsync(t.Id)).Status);
    }

    [Fact]
    public async Task ChangeTierAsync_ChangesNothing_ForTheSameTier()
    {
        var result = await RunAsync(async s => await s.ChangeTierAsync(await _s.OperatorAsync(), Alpha, SubscriptionTier.Starter, "no-op", None));

        Assert.Equal((ErrorCodes.Invalid, "tier"), (result.Error?.Code, result.Error?.Field));
        Assert.Empty(await SegmentsAsync(Alpha));
    }

    [Fact]
    public async Task ExtendTrialAsync_MovesTheEnd_AndPutsATenantSuspendedAfterItsTrialBackOnTrial()
    {
        var t = await _s.AddTenantAsync("lapsed", SubscriptionTier.Starter, BillingScenario.October, TenantStatus.Suspended,
            trialEndsAt: _s.Bed.Time.GetUtcNow().AddDays(-2), suspendedFor: SuspensionReason.TrialExpired);
        var op = await _s.OperatorAsync();

        var result = await RunAsync(s => s.ExtendTrialAsync(op, t.Id, 10, "customer asked for more time", None));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var tenant = await _s.TenantAsync(t.Id);
        Assert.Equal((TenantStatus.Trial, _s.Bed.Time.GetUtcNow().AddDays(10)), (tenant.Status, tenant.TrialEndsAt!.Value));
        var entry = await LastAuditAsync(t.Id);
        Assert.Equal(AuditActions.OperatorTrialExtended, entry.Action);
        Assert.Contains("reason: customer asked for more time", entry.Details);
        var check = await _s.Services.RunAsync<QuotaService, Result<QuotaDecision>>(q => q.CheckAsync(UsageMetric.ApiCalls, 1, None), t.Id);
        Assert.True(check.Value.Allowed);
    }

    [Fact]
    public async Task ExtendTrialAsync_CountsFromTheCurrentEnd_WhileTheTrialRuns()
    {
        var end = _s.Bed.Time.GetUtcNow().AddDays(3);
        var t = await _s.AddTenantAsync("tryout", SubscriptionTier.Starter, BillingScenario.November, TenantStatus.Trial, trialEndsAt: end);

        await RunAsync(async s => await s.ExtendTrialAsync(await _s.OperatorAsync(), t.Id, 7, "conference", None));

        Assert.Equal(end.AddDays(7), (await _s.TenantAsync(t.Id)).TrialEndsAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(91)]
    public async Task ExtendTrialAsync_ChangesNothing_ForDaysOutside1To90(int days)
    {
        var end = _s.Bed.Time.GetUtcNow().AddDays(3);
        var t = await _s.AddTenantAsync("tryout", SubscriptionTier.Starter, BillingScenario.November, TenantStatus.Trial, trialEndsAt: end);

        var result = await RunAsync(async s => await s.ExtendTrialAsync(await _s.OperatorAsync(), t.Id, days, "conference", None));

        Assert.Equal((ErrorCodes.Invalid, "days"), (result.Error?.Code, result.Error?.Field));
        Assert.Equal(end, (await _s.TenantAsync(t.Id)).TrialEndsAt);
    }

    [Fact]
    public async Task ExtendTrialAsync_IsAConflict_ForAPayingTenant()
    {
        var result = await RunAsync(async s => await s.ExtendTrialAsync(await _s.OperatorAsync(), Alpha, 5, "mistake", None));

        Assert.Equal(ErrorCodes.Conflict, result.Error?.Code);
    }

    [Fact]
    public async Task SetQuotaOverrideAsync_ChangesTheLimitOfTheTenantsUsageReport_AndClearingRestoresThePlan()
    {
        var op = await _s.OperatorAsync();

        var set = await RunAsync(s => s.SetQuotaOverrideAsync(op, Alpha, UsageMetric.ApiCalls, 250_000, "launch week", None));
        var again = await RunAsync(s => s.SetQuotaOverrideAsync(op, Alpha, UsageMetric.ApiCalls, PlanCatalog.Unlimited, "launch week, unlimited", None));

        Assert.True(set.IsSuccess && again.IsSuccess);
        Assert.Equal(PlanCatalog.Unlimited, (await ReportAsync(Alpha)).Metrics.Single(m => m.Metric == UsageMetric.ApiCalls).Limit);
        await using (var db = _s.Bed.Database.CrossTenant())
            Assert.Equal("launch week, unlimited", (await db.QuotaOverrides.SingleAsync(o => o.TenantId == Alpha)).Reason);
        var entry = await LastAuditAsync(Alpha);
        Assert.Equal((AuditActions.OperatorQuotaOverrideSet, "quota:api_calls"), (entry.Action, entry.Target));
        Assert.Contains("override 250,000 → unlimited (plan 100,000); reason: launch week, unlimited", entry.Details);

        var cleared = await RunAsync(s => s.ClearQuotaOverrideAsync(op, Alpha, UsageMetric.ApiCalls, "launch over", None));

        Assert.True(cleared.IsSuccess, cleared.Error?.Message);
        Assert.Equal(100_000m, (await ReportAsync(Alpha)).Metrics.Single(m => m.Metric == UsageMetric.ApiCalls).Limit);
        Assert.Equal(AuditActions.OperatorQuotaOverrideCleared, (await LastAuditAsync(Alpha)).Action);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(-0.5)]
    public async Task SetQuotaOverrideAsync_ChangesNothing_ForANegativeLimitOtherThanUnlimited(double limit)
    {
        var result = await RunAsync(async s => await s.SetQuotaOverrideAsync(await _s.OperatorAsync(), Alpha, UsageMetric.ApiCalls, (decimal)limit, "typo", None));

        Assert.Equal((ErrorCodes.Invalid, "limit"), (result.Error?.Code, result.Error?.Field));
        await using var db = _s.Bed.Database.CrossTenant();
        Assert.False(await db.QuotaOverrides.AnyAsync());
    }

    [Fact]
    public async Task ClearQuotaOverrideAsync_IsInvalid_WithoutAnOverride()
    {
        var result = await RunAsync(async s => await s.ClearQuotaOverrideAsync(await _s.OperatorAsync(), Alpha, UsageMetric.GpuHours, "cleanup", None));

        Assert.Equal((ErrorCodes.Invalid, "metric"), (result.Error?.Code, result.Error?.Field));
    }

    [Fact]
    public async Task ResendInvitationAsync_SendsANewLink_WithTheReasonAudited()
    {
        var op = await _s.OperatorAsync();

        var result = await RunAsync(s => s.ResendInvitationAsync(op, Alpha, _s.Bed.PendingInvitationId, _s.Bed.AcceptUrl, "customer lost the email", None));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var mail = Assert.Single(_s.Bed.Mail.Sent);
        Assert.Equal(TenancyTestBed.PendingInviteEmail, mail.To);
        Assert.Contains("https://portal.test/invitations/accept?token=", mail.TextBody);
        Assert.Contains(op.Display, mail.TextBody);
        await using var db = _s.Bed.Database.CrossTenant();
        var invitation = await db.Invitations.SingleAsync(i => i.Id == _s.Bed.PendingInvitationId);
        Assert.NotEqual(SecretHasher.Sha256Hex("seeded-token"), invitation.TokenHash);
        Assert.Equal(2, invitation.SendCount);
        var entry = await LastAuditAsync(Alpha);
        Assert.Equal(AuditActions.OperatorInvitationResent, entry.Action);
        Assert.Contains("reason: customer lost the email", entry.Details);
    }

    [Fact]
    public async Task ResendInvitationAsync_IsNotFound_ForAnotherTenantsInvitation()
    {
        var result = await RunAsync(async s => await s.ResendInvitationAsync(await _s.OperatorAsync(), _s.Bed.BetaId, _s.Bed.PendingInvitationId, _s.Bed.AcceptUrl, "x", None));

        Assert.Equal(ErrorCodes.NotFound, result.Error?.Code);
        Assert.Empty(_s.Bed.Mail.Sent);
    }

    [Fact]
    public async Task CreateTenantAsync_MakesAnExistingUserOwner_WithoutMakingTheOperatorAMember()
    {
        var op = await _s.OperatorAsync();

        var result = await RunAsync(s => s.CreateTenantAsync(op, new("Umbrella Corp", "umbrella", SubscriptionTier.Professional, "Beta-Owner@beta.test"),
            _s.Bed.AcceptUrl, "signed contract", None));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.False(result.Value.OwnerInvited);
        var tenant = await _s.TenantAsync(result.Value.TenantId);
        Assert.Equal((TenantStatus.Trial, SubscriptionTier.Professional), (tenant.Status, tenant.Tier));
        await using var db = _s.Bed.Database.CrossTenant();
        var member = await db.Members.SingleAsync(m => m.TenantId == tenant.Id);
        Assert.Equal((_s.Bed.Users["beta-owner"].Id, TenantRole.Owner), (member.UserId, member.Role));
        Assert.Single(await SegmentsAsync(tenant.Id));
        var entry = await LastAuditAsync(tenant.Id);
        Assert.Equal(AuditActions.OperatorTenantCreated, entry.Action);
        Assert.Contains("reason: signed contract", entry.Details);
        Assert.Empty(_s.Bed.Mail.Sent);
    }

    [Theory]
    [InlineData(SubscriptionTier.Free)]
    [InlineData(SubscriptionTier.Professional)]
    public async Task CreateTenantAsync_StartsTheTenant_AsACustomerSigningUpDoes(SubscriptionTier tier)
    {
        var op = await _s.OperatorAsync();

        var byOperator = await RunAsync(s => s.CreateTenantAsync(op, new("By Operator", "by-operator", tier, "owner@alpha.test"), _s.Bed.AcceptUrl, "sale", None));
        var byCustomer = await _s.Bed.In(null).Tenants.CreateAsync(_s.Bed.ActorOf("owner"), new("By Customer", "by-customer", tier), None);

        Assert.True(byOperator.IsSuccess, byOperator.Error?.Message);
        Assert.True(byCustomer.IsSuccess, byCustomer.Error?.Message);
        var (a, b) = (await _s.TenantAsync(byOperator.Value.TenantId), await _s.TenantAsync(byCustomer.Value.TenantId));
        Assert.Equal((b.Tier, b.Status, b.BillingCycle, b.TrialEndsAt, b.CreatedAt), (a.Tier, a.Status, a.BillingCycle, a.TrialEndsAt, a.CreatedAt));
        Assert.Equal(tier == SubscriptionTier.Free ? TenantStatus.Active : TenantStatus.Trial, a.Status);
        var (first, second) = ((await SegmentsAsync(a.Id)).Single(), (await SegmentsAsync(b.Id)).Single());
        Assert.Equal((tier, false, a.CreatedAt), (first.Tier, first.Charged, first.StartsAt));
        Assert.Equal((second.Tier, second.Cycle, second.Charged, second.StartsAt), (first.Tier, first.Cycle, first.Charged, first.StartsAt));
    }

    [Fact]
    public async Task CreateTenantAsync_SendsAnOwnerInvitation_ToSomeoneWithoutAnAccount()
    {
        var result = await RunAsync(async s => await s.CreateTenantAsync(await _s.OperatorAsync(), new("Hooli", "hooli", SubscriptionTier.Free, "gavin@hooli.test"),
            _s.Bed.AcceptUrl, "phone sale", None));

        Assert.True(result.Value.OwnerInvited);
        Assert.Equal(TenantStatus.Active, (await _s.TenantAsync(result.Value.TenantId)).Status);
        await using var db = _s.Bed.Database.CrossTenant();
        var invitation = await db.Invitations.SingleAsync(i => i.TenantId == result.Value.TenantId);
        Assert.Equal((TenantRole.Owner, InvitationStatus.Pending), (invitation.Role, invitation.Status));
        Assert.False(await db.Members.AnyAsync(m => m.TenantId == result.Value.TenantId));
        Assert.Equal("gavin@hooli.test", Assert.Single(_s.Bed.Mail.Sent).To);
    }

    [Theory]
    [InlineData("Hooli", "alpha", "gavin@hooli.test", ErrorCodes.SlugTaken, "slug")]
    [InlineData("Hooli", "Bad Slug", "gavin@hooli.test", ErrorCodes.Invalid, "slug")]
    [InlineData("", "hooli", "gavin@hooli.test", ErrorCodes.Invalid, "name")]
    [InlineData("Hooli", "hooli", "not-an-email", ErrorCodes.Invalid, "ownerEmail")]
    public async Task CreateTenantAsync_CreatesNothing_ForBadInput(string name, string slug, string email, string code, string field)
    {
        var result = await RunAsync(async s => await s.CreateTenantAsync(await _s.OperatorAsync(), new(name, slug, SubscriptionTier.Free, email), _s.Bed.AcceptUrl, "sale", None));

        Assert.Equal((code, field), (result.Error?.Code, result.Error?.Field));
        await using var db = _s.Bed.Database.CrossTenant();
        Assert.Equal(2, await db.Tenants.CountAsync());
    }

    public static TheoryData<string> Actions() => new(ActionsByName.Keys);

    private static readonly Dictionary<string, Func<OperatorTenantService, Actor, TenancyTestBed, Task<Result>>> ActionsByName = new()
    {
        ["suspend"] = async (s, a, b) => await s.SuspendAsync(a, b.AlphaId, "r", None),
        ["reactivate"] = async (s, a, b) => await s.ReactivateAsync(a, b.AlphaId, "r", None),
        ["tier"] = async (s, a, b) => await s.ChangeTierAsync(a, b.AlphaId, SubscriptionTier.Enterprise, "r", None),
        ["trial"] = async (s, a, b) => await s.ExtendTrialAsync(a, b.AlphaId, 5, "r", None),
        ["override"] = async (s, a, b) => await s.SetQuotaOverrideAsync(a, b.AlphaId, UsageMetric.ApiCalls, 5, "r", None),
        ["clear"] = async (s, a, b) => await s.ClearQuotaOverrideAsync(a, b.AlphaId, UsageMetric.ApiCalls, "r", None),
        ["resend"] = async (s, a, b) => await s.ResendInvitationAsync(a, b.AlphaId, b.PendingInvitationId, b.AcceptUrl, "r", None),
        ["create"] = async (s, a, b) => await s.CreateTenantAsync(a, new("Hooli", "hooli", SubscriptionTier.Free, "gavin@hooli.test"), b.AcceptUrl, "r", None),
    };

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task EveryAction_IsForbidden_ForTheTenantsOwner_AndChangesNothing(string action)
    {
        var owner = _s.Bed.ActorOf("owner");

        var result = await RunAsync(s => ActionsByName[action](s, owner, _s.Bed));

        Assert.Equal(ErrorCodes.Forbidden, result.Error?.Code);
        var tenant = await _s.TenantAsync(Alpha);
        Assert.Equal((TenantStatus.Active, SubscriptionTier.Starter), (tenant.Status, tenant.Tier));
        await using var db = _s.Bed.Database.CrossTenant();
        Assert.Equal(2, await db.Tenants.CountAsync());
        Assert.False(await db.QuotaOverrides.AnyAsync());
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Action.StartsWith("operator.tenant") || e.Action.StartsWith("operator.quota") || e.Action.StartsWith("operator.tier")
            || e.Action.StartsWith("operator.trial") || e.Action.StartsWith("operator.invitation")));
        Assert.Empty(_s.Bed.Mail.Sent);
    }

    private Task<T> RunAsync<T>(Func<OperatorTenantService, Task<T>> work) => _s.Services.RunAsync(work);

    private Task<UsageReport> ReportAsync(Guid tenantId) => _s.Services.RunAsync<UsageReportService, UsageReport>(r => r.CurrentAsync(None), tenantId);

    private async Task<List<AuditEntry>> AuditAsync(Guid tenantId)
    {
        await using var db = _s.Bed.Database.CrossTenant();
        return await db.AuditEntries.AsNoTracking().Where(e => e.TenantId == tenantId).OrderBy(e => e.Id).ToListAsync();
    }

    private async Task<AuditEntry> LastAuditAsync(Guid tenantId) => (await AuditAsync(tenantId))[^1];

    private async Task<List<PlanSegment>> SegmentsAsync(Guid tenantId)
    {
        await using var db = _s.Bed.Database.CrossTenant();
        return await db.PlanSegments.AsNoTracking().Where(s => s.TenantId == tenantId).OrderBy(s => s.StartsAt).ToListAsync();
    }


}
