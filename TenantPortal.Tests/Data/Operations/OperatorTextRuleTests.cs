using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Operations;
using TenantPortal.Tests.Data.Billing;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Operations;

/// <summary>
/// The operators' actions hold their free text to the text rule: a reason with a control character or a bidirectional
/// control is refused naming <c>reason</c>, as are the name, slug and owner's email of a tenant created for a customer,
/// and nothing changes: the tenant, its overrides, invoices, invitations and audit log, and no email goes out.
/// </summary>
public abstract class OperatorTextRuleTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : OperatorTextRuleTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : OperatorTextRuleTests(DatabaseProvider.PostgreSql);

    private static readonly CancellationToken None = CancellationToken.None;
    private readonly BillingScenario _s = new(provider);

    public Task InitializeAsync() => _s.InitializeAsync();

    public Task DisposeAsync() => _s.DisposeAsync();

    // Every action that takes a reason, given the reason to send.
    private static readonly Dictionary<string, Func<OperatorTextRuleTests, Actor, string, Task<Result>>> ReasonActions = new()
    {
        ["suspend"] = (t, op, why) => t.OperatorAsync(s => s.SuspendAsync(op, t.Alpha, why, None)),
        ["reactivate"] = (t, op, why) => t.OperatorAsync(s => s.ReactivateAsync(op, t.Alpha, why, None)),
        ["change tier"] = (t, op, why) => t.OperatorAsync(s => s.ChangeTierAsync(op, t.Alpha, SubscriptionTier.Enterprise, why, None)),
        ["extend trial"] = (t, op, why) => t.OperatorAsync(s => s.ExtendTrialAsync(op, t.Alpha, 5, why, None)),
        ["set quota override"] = (t, op, why) => t.OperatorAsync(s => s.SetQuotaOverrideAsync(op, t.Alpha, UsageMetric.ApiCalls, 5, why, None)),
        ["clear quota override"] = (t, op, why) => t.OperatorAsync(s => s.ClearQuotaOverrideAsync(op, t.Alpha, UsageMetric.ApiCalls, why, None)),
        ["resend invitation"] = (t, op, why) => t.OperatorAsync(s => s.ResendInvitationAsync(op, t.Alpha, t._s.Bed.PendingInvitationId, t._s.Bed.AcceptUrl, why, None)),
        ["create tenant"] = async (t, op, why) => await t.OperatorAsync(s => s.CreateTenantAsync(op,
            new("Hooli", "hooli", SubscriptionTier.Free, "gavin@hooli.test"), t._s.Bed.AcceptUrl, why, None)),
        ["mark invoice paid"] = async (t, op, why) =>
        {
            var invoice = await t.AlphaInvoiceIdAsync();
            return await t.SettleAsync(s => s.MarkPaidAsync(op, invoice, why, None));
        },
        ["void invoice"] = async (t, op, why) =>
        {
            var invoice = await t.AlphaInvoiceIdAsync();
            return await t.SettleAsync(s => s.VoidAsync(op, invoice, why, None));
        },
    };

    // The fields of a tenant created for a customer, given the hostile text to put in.
    private static readonly Dictionary<string, Func<string, CreateTenantForCustomerRequest>> CreateFields = new()
    {
        ["name"] = bad => new($"Hoo{bad}li", "hooli", SubscriptionTier.Free, "gavin@hooli.test"),
        ["slug"] = bad => new("Hooli", $"hoo{bad}li", SubscriptionTier.Free, "gavin@hooli.test"),
        ["ownerEmail"] = bad => new("Hooli", "hooli", SubscriptionTier.Free, $"gavin{bad}@hooli.test"),
    };

    public static TheoryData<string, string> ReasonCases() => HostileText.Cross(ReasonActions.Keys);

    public static TheoryData<string, string> CreateCases() => HostileText.Cross(CreateFields.Keys);

    private Guid Alpha => _s.Bed.AlphaId;

    [Theory]
    [MemberData(nameof(ReasonCases))]
    public async Task EveryReason_WithAControlOrBidiCharacter_IsRefusedNamingTheReason_AndChangesNothing(string action, string character)
    {
        var op = await _s.OperatorAsync();
        var before = await SnapshotAsync();

        var result = await ReasonActions[action](this, op, $"customer{HostileText.Characters[character]}asked");

        Assert.Equal((ErrorCodes.Invalid, OperatorReason.Field), (result.Error?.Code, result.Error?.Field));
        Assert.Contains(HostileText.CodePoint(character), result.Error!.Message);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Empty(_s.Bed.Mail.Sent);
    }

    [Theory]
    [MemberData(nameof(CreateCases))]
    public async Task CreateTenantForACustomer_WithAControlOrBidiCharacter_IsRefusedNamingTheField_AndCreatesNothing(string field, string character)
    {
        var op = await _s.OperatorAsync();
        var before = await SnapshotAsync();

        var result = await OperatorAsync(s => s.CreateTenantAsync(op, CreateFields[field](HostileText.Characters[character]), _s.Bed.AcceptUrl, "sale", None));

        Assert.Equal((ErrorCodes.Invalid, field), (result.Error?.Code, result.Error?.Field));
        Assert.Equal(before, await SnapshotAsync());
        Assert.Empty(_s.Bed.Mail.Sent);
    }

    [Fact]
    public async Task AReason_WithALineBreakAroundIt_IsRefusedToo_NotTrimmedAway()
    {
        var result = await OperatorAsync(async s => await s.SuspendAsync(await _s.OperatorAsync(), Alpha, "abuse report\n", None));

        Assert.Equal(OperatorReason.Field, result.Error?.Field);
        Assert.Equal(TenantStatus.Active, (await _s.TenantAsync(Alpha)).Status);
    }

    [Fact]
    public async Task SettlingAnInvoice_RefusesAReasonOverTheLimit_AsTheOtherActionsDo()
    {
        var (op, invoice) = (await _s.OperatorAsync(), await AlphaInvoiceIdAsync());

        var result = await SettleAsync(s => s.MarkPaidAsync(op, invoice, new string('x', OperatorReason.MaxLength + 1), None));

        Assert.Equal((ErrorCodes.Invalid, OperatorReason.Field), (result.Error?.Code, result.Error?.Field));
    }

    private Task<T> OperatorAsync<T>(Func<OperatorTenantService, Task<T>> work) => _s.Services.RunAsync(work);

    private Task<Result> SettleAsync(Func<InvoiceSettlementService, Task<Result>> work) => _s.Services.RunAsync(work);

    private async Task<Guid> AlphaInvoiceIdAsync()
    {
        await using var db = _s.Bed.Database.CrossTenant();
        return await db.Invoices.Where(i => i.Number == TenancyTestBed.AlphaInvoiceNumber).Select(i => i.Id).SingleAsync();
    }

    // Everything an operator's action could change, as one comparable text.
    private async Task<string> SnapshotAsync()
    {
        await using var db = _s.Bed.Database.CrossTenant();
        // Formatted here, not in SQL: PostgreSQL can't concatenate columns of different types into one text in a query.
        var tenants = (await db.Tenants.AsNoTracking().OrderBy(t => t.Slug).ToListAsync())
            .Select(t => $"{t.Slug}:{t.Name}:{t.Status}:{t.Tier}:{t.TrialEndsAt}:{t.SuspendedAt}:{t.ConcurrencyStamp}");
        var overrides = await db.QuotaOverrides.CountAsync();
        var invoices = (await db.Invoices.AsNoTracking().OrderBy(i => i.Number).ToListAsync()).Select(i => $"{i.Number}:{i.Status}:{i.PaidAt}");
        var invitations = (await db.Invitations.AsNoTracking().OrderBy(i => i.Id).ToListAsync()).Select(i => $"{i.Email}:{i.Status}:{i.SendCount}:{i.TokenHash}");
        var audit = await db.AuditEntries.CountAsync();
        return string.Join("|", [.. tenants, $"{overrides} overrides", .. invoices, .. invitations, $"{audit} audit entries"]);
    }
}
