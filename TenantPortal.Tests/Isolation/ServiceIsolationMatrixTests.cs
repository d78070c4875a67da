using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Data;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Isolation;

/// <summary>
/// Every tenant-scoped service operation, called by each role of tenant A, by the owner of tenant B and by a stranger,
/// while working in tenant A: allowed from its minimum role up, forbidden below it, not found for outsiders.
/// An operation added later without an entry here fails <see cref="EveryOperationTakingAnActor_HasAnEntry"/>.
/// </summary>
public abstract class ServiceIsolationMatrixTests(ServiceIsolationMatrixTests.Template template)
{
    public sealed class Sqlite(Template template) : ServiceIsolationMatrixTests(template), IClassFixture<Template>;

    public sealed class PostgreSql(Template.OnPostgreSql template) : ServiceIsolationMatrixTests(template), IClassFixture<Template.OnPostgreSql>;

    /// <summary>One migrated, seeded database, copied for every case.</summary>
    public class Template : IAsyncLifetime
    {
        public Template() : this(DatabaseProvider.Sqlite)
        {
        }

        protected Template(DatabaseProvider provider) => Bed = TenancyTestBed.On(provider);

        /// <summary>The template on PostgreSQL.</summary>
        public sealed class OnPostgreSql() : Template(DatabaseProvider.PostgreSql);

        public TenancyTestBed Bed { get; }
        public Task InitializeAsync() => Bed.InitializeAsync();
        public Task DisposeAsync() => Bed.DisposeAsync();
    }

    private delegate Task<Result> Operation(TenancyTestBed.Scope scope, Actor actor, TenancyTestBed bed);

    private sealed record Entry(TenantRole MinimumRole, Operation Run);

    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly Uri ReturnUrl = new("http://localhost/t/alpha/billing");

    private static readonly Dictionary<string, Entry> Operations = new()
    {
        ["TenantService.GetDetailsAsync"] = new(TenantRole.Viewer, async (s, a, b) => await s.Tenants.GetDetailsAsync(a, None)),
        ["TenantService.UpdateAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Tenants.UpdateAsync(a, new UpdateTenantRequest("Renamed", null, null, b.AlphaStamp), None)),
        ["TenantService.DeleteAsync"] = new(TenantRole.Owner, async (s, a, b) => await s.Tenants.DeleteAsync(a, TenancyTestBed.AlphaSlug, None)),
        ["TenantService.TransferOwnershipAsync"] = new(TenantRole.Owner, async (s, a, b) => await s.Tenants.TransferOwnershipAsync(a, b.Users["target"].Id, None)),
        ["TenantService.SetOwnerTwoFactorAsync"] = new(TenantRole.Owner, async (s, a, b) => await s.Tenants.SetOwnerTwoFactorAsync(a, false, None)),
        ["MemberService.ListAsync"] = new(TenantRole.Member, async (s, a, b) => await s.Members.ListAsync(a, None)),
        ["MemberService.ChangeRoleAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Members.ChangeRoleAsync(a, b.Users["target"].Id, TenantRole.Member, None)),
        ["MemberService.RemoveAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Members.RemoveAsync(a, b.Users["target"].Id, None)),
        ["MemberService.LeaveAsync"] = new(TenantRole.Viewer, async (s, a, b) => await s.Members.LeaveAsync(a, None)),
        ["MemberService.CheckLeaveAsync"] = new(TenantRole.Viewer, async (s, a, b) => await s.Members.CheckLeaveAsync(a, None)),
        ["InvitationService.SeatsAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Invitations.SeatsAsync(a, None)),
        ["InvitationService.ListPendingAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Invitations.ListPendingAsync(a, None)),
        ["InvitationService.CreateAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Invitations.CreateAsync(a, new InviteRequest("fresh@example.test", TenantRole.Viewer), b.AcceptUrl, None)),
        ["InvitationService.ResendAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Invitations.ResendAsync(a, b.PendingInvitationId, b.AcceptUrl, None)),
        ["InvitationService.RevokeAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Invitations.RevokeAsync(a, b.PendingInvitationId, None)),
        ["ApiKeyService.ListAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.ApiKeys.ListAsync(a, None)),
        ["ApiKeyService.CreateAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.ApiKeys.CreateAsync(a, "matrix", None)),
        ["ApiKeyService.RevokeAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.ApiKeys.RevokeAsync(a, b.AlphaKeyId, None)),
        ["ApiKeyService.AllowanceAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.ApiKeys.AllowanceAsync(a, None)),
        ["ScimTokenService.ListAsync"] = new(TenantRole.Admin, async (s, a, b) => await ScimMatrix.Tokens(s, b).ListAsync(a, None)),
        ["ScimTokenService.CreateAsync"] = new(TenantRole.Admin, async (s, a, b) =>
        {
            await ScimMatrix.EntitleAlphaAsync(s, b);
            return await ScimMatrix.Tokens(s, b).CreateAsync(a, "matrix", None);
        }),
        ["ScimTokenService.RevokeAsync"] = new(TenantRole.Admin, async (s, a, b) =>
        {
            await ScimMatrix.EntitleAlphaAsync(s, b);
            var token = await ScimMatrix.Tokens(s, b).CreateAsync(b.ActorOf("owner"), "matrix", None);
            return await ScimMatrix.Tokens(s, b).RevokeAsync(a, token.Value.Id, None);
        }),
        ["ScimRoleMappingService.ListAsync"] = new(TenantRole.Admin, async (s, a, b) => await ScimMatrix.Mappings(s, b).ListAsync(a, None)),
        ["ScimRoleMappingService.SetAsync"] = new(TenantRole.Admin, async (s, a, b) =>
        {
            await ScimMatrix.EntitleAlphaAsync(s, b);
            return await ScimMatrix.Mappings(s, b).SetAsync(a, "portal-admins", TenantRole.Admin, None);
        }),
        ["ScimRoleMappingService.RemoveAsync"] = new(TenantRole.Admin, async (s, a, b) =>
        {
            await ScimMatrix.EntitleAlphaAsync(s, b);
            var mapping = await ScimMatrix.Mappings(s, b).SetAsync(b.ActorOf("owner"), "portal-admins", TenantRole.Admin, None);
            return await ScimMatrix.Mappings(s, b).RemoveAsync(a, mapping.Value.Id, None);
        }),
        ["EntitlementService.ListAsync"] = new(TenantRole.Viewer, async (s, a, b) => await s.Entitlements.ListAsync(a, None)),
        ["EntitlementService.GetAsync"] = new(TenantRole.Viewer, async (s, a, b) => await s.Entitlements.GetAsync(a, "sso", None)),
        ["BillingService.GetOverviewAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Billing.GetOverviewAsync(a, None)),
        ["BillingService.GetOverviewToManageAsync"] = new(TenantRole.Owner, async (s, a, b) => await s.Billing.GetOverviewToManageAsync(a, None)),
        ["BillingService.PreviewChangeAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Billing.PreviewChangeAsync(a, SubscriptionTier.Professional, BillingCycle.Monthly, None)),
        ["BillingService.ChangePlanAsync"] = new(TenantRole.Owner, async (s, a, b) => await s.Billing.ChangePlanAsync(a, SubscriptionTier.Professional, BillingCycle.Monthly, ReturnUrl, None)),
        ["BillingService.CancelAsync"] = new(TenantRole.Owner, async (s, a, b) => await s.Billing.CancelAsync(a, atPeriodEnd: true, None)),
        ["BillingService.ReactivateAsync"] = new(TenantRole.Owner, async (s, a, b) =>
        {
            Assert.True((await s.Billing.CancelAsync(b.ActorOf("owner"), atPeriodEnd: true, None)).IsSuccess);
            return await s.Billing.ReactivateAsync(a, None);
        }),
        // The ledger has no payment-methods page: past the gate, the owner hears exactly that.
        ["BillingService.PaymentMethodsUrlAsync"] = new(TenantRole.Owner, async (s, a, b) =>
            await s.Billing.PaymentMethodsUrlAsync(a, ReturnUrl, None) is { Error.Code: ErrorCodes.NotAvailableInLedger } ? Result.Success() : await s.Billing.PaymentMethodsUrlAsync(a, ReturnUrl, None)),
        ["InvoiceService.ListAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Invoices.ListAsync(a, None)),
        ["InvoiceService.GetAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Invoices.GetAsync(a, TenancyTestBed.AlphaInvoiceNumber, None)),
        ["InvoiceService.LineUsageAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Invoices.LineUsageAsync(a, TenancyTestBed.AlphaInvoiceNumber, TenancyTestBed.AlphaOverageLineId, None)),
        ["InvoiceService.LineEventsFileNameAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Invoices.LineEventsFileNameAsync(a, TenancyTestBed.AlphaInvoiceNumber, TenancyTestBed.AlphaOverageLineId, None)),
        ["InvoiceService.WriteLineEventsCsvAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Invoices.WriteLineEventsCsvAsync(a, TenancyTestBed.AlphaInvoiceNumber, TenancyTestBed.AlphaOverageLineId, new StringWriter(), None)),
        ["InvoiceService.InvoiceEventsFileNameAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Invoices.InvoiceEventsFileNameAsync(a, TenancyTestBed.AlphaInvoiceNumber, None)),
        ["CreditNoteService.ListAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.CreditNotes.ListAsync(a, None)),
        ["CreditNoteService.ForInvoiceAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.CreditNotes.ForInvoiceAsync(a, TenancyTestBed.AlphaInvoiceNumber, None)),
        ["CreditNoteService.GetAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.CreditNotes.GetAsync(a, TenancyTestBed.AlphaCreditNoteNumber, None)),
        ["InvoiceService.WriteInvoiceEventsCsvAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Invoices.WriteInvoiceEventsCsvAsync(a, TenancyTestBed.AlphaInvoiceNumber, new StringWriter(), None)),
        ["CreditService.GetOverviewAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Credits.GetOverviewAsync(a, None)),
        ["CreditService.PurchaseAsync"] = new(TenantRole.Owner, async (s, a, b) => await s.Credits.PurchaseAsync(a, 2_500, ReturnUrl, None)),
        ["CreditService.SetLowBalanceThresholdAsync"] = new(TenantRole.Owner, async (s, a, b) => await s.Credits.SetLowBalanceThresholdAsync(a, 1_000, None)),
        ["UsageHistoryService.QueryAsync"] = new(TenantRole.Viewer, async (s, a, b) =>
            await s.History.QueryAsync(a, new(null, TenantPortal.Core.Usage.RollupGranularity.Day, null, null, 10), None)),
        ["OwnerAskService.AskedAtAsync"] = new(TenantRole.Viewer, async (s, a, b) => await s.Asks.AskedAtAsync(a, TenantPortal.Core.Usage.UsageMetric.ApiCalls, None)),
        // Past the gate every member hears why there is nothing to ask (alpha's quotas are below 80 %; an Owner changes the plan itself).
        ["OwnerAskService.AskAsync"] = new(TenantRole.Viewer, async (s, a, b) =>
            await s.Asks.AskAsync(a, TenantPortal.Core.Usage.UsageMetric.ApiCalls, None) is { Error.Code: ErrorCodes.Invalid } ? Result.Success() : await s.Asks.AskAsync(a, TenantPortal.Core.Usage.UsageMetric.ApiCalls, None)),
        ["UsageCorrectionService.CreateAsync"] = new(TenantRole.Admin, async (s, a, b) =>
            await UsageCorrections.Service(b, s).CreateAsync(a, UsageCorrections.Backfill("matrix", "matrix-event", 3, b.Time.GetUtcNow()), None)),
        ["UsageCorrectionService.RevertAsync"] = new(TenantRole.Admin, async (s, a, b) =>
        {
            Assert.True((await UsageCorrections.Service(b, s).CreateAsync(b.ActorOf("owner"), UsageCorrections.Backfill("matrix", "matrix-event", 3, b.Time.GetUtcNow()), None)).IsSuccess);
            return await UsageCorrections.Service(b, s).RevertAsync(a, "matrix", "matrix", None);
        }),
        ["UsageCorrectionService.ListAsync"] = new(TenantRole.Viewer, async (s, a, b) => await UsageCorrections.Service(b, s).ListAsync(a, null, 10, None)),
        ["UsageCorrectionService.GetAsync"] = new(TenantRole.Viewer, async (s, a, b) =>
        {
            Assert.True((await UsageCorrections.Service(b, s).CreateAsync(b.ActorOf("owner"), UsageCorrections.Backfill("matrix", "matrix-event", 3, b.Time.GetUtcNow()), None)).IsSuccess);
            return await UsageCorrections.Service(b, s).GetAsync(a, "matrix", None);
        }),
        ["AuditQueryService.QueryAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Audit.QueryAsync(a, new(), 0, 20, None)),
        ["AuditQueryService.PageAfterAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.Audit.PageAfterAsync(a, new(), null, 20, None)),
        ["AuditExportService.StartAsync"] = new(TenantRole.Admin, async (s, a, b) =>
        {
            await b.GrantAuditExportAsync(b.AlphaId);
            return await s.AuditExports.StartAsync(a, new(TenantPortal.Data.Services.Audit.Export.AuditExportFormat.Csv, new()), None);
        }),
        ["AuditExportService.IncludedAsync"] = new(TenantRole.Admin, async (s, a, b) => await s.AuditExports.IncludedAsync(a, None)),
        ["SpendBudgetService.GetAsync"] = new(TenantRole.Admin, async (s, a, b) => await Budgets(s, b).GetAsync(a, None)),
        ["SpendBudgetService.SetAsync"] = new(TenantRole.Owner, async (s, a, b) => await Budgets(s, b).SetAsync(a, 50_00, BudgetAction.Block, None)),
        ["SpendBudgetService.RemoveAsync"] = new(TenantRole.Owner, async (s, a, b) => await Budgets(s, b).RemoveAsync(a, None)),
        ["DomainService.ListAsync"] = new(TenantRole.Admin, async (s, a, b) => await Domains(s, b).ListAsync(a, None)),
        ["DomainService.AddAsync"] = new(TenantRole.Admin, async (s, a, b) => await Domains(s, b).AddAsync(a, "matrix.example", None)),
        ["DomainService.VerifyAsync"] = new(TenantRole.Admin, async (s, a, b) => await Domains(s, b).VerifyAsync(a, await AlphaDomainAsync(b), None)),
        ["DomainService.SetAffiliationAsync"] = new(TenantRole.Admin, async (s, a, b) =>
            await Domains(s, b).SetAffiliationAsync(a, await AlphaDomainAsync(b), TenantPortal.Core.Domains.DomainAffiliation.Off, TenantRole.Viewer, None)),
        ["DomainService.RemoveAsync"] = new(TenantRole.Admin, async (s, a, b) => await Domains(s, b).RemoveAsync(a, await AlphaDomainAsync(b), None)),
        ["WebhookEndpointService.IsEntitledAsync"] = new(TenantRole.Admin, async (s, a, b) => await WebhookMatrix.IsEntitledAsync(s, a, b)),
        ["WebhookEndpointService.ListAsync"] = new(TenantRole.Admin, async (s, a, b) => await (await WebhookMatrix.ArrangeAsync(s, b)).Endpoints.ListAsync(a, None)),
        ["WebhookEndpointService.GetAsync"] = new(TenantRole.Admin, async (s, a, b) => await WebhookMatrix.OnEndpointAsync(s, b, (w, id) => w.Endpoints.GetAsync(a, id, None))),
        ["WebhookEndpointService.CreateAsync"] = new(TenantRole.Admin, async (s, a, b) => await (await WebhookMatrix.ArrangeAsync(s, b)).Endpoints
            .CreateAsync(a, new TenantPortal.Data.Services.Webhooks.WebhookEndpointInput("https://hooks.example.invalid/matrix", null, null), None)),
        ["WebhookEndpointService.UpdateAsync"] = new(TenantRole.Admin, async (s, a, b) => await WebhookMatrix.OnEndpointAsync(s, b,
            (w, id) => w.Endpoints.UpdateAsync(a, id, new TenantPortal.Data.Services.Webhooks.WebhookEndpointInput(null, "changed", null), None))),
        ["WebhookEndpointService.DeleteAsync"] = new(TenantRole.Admin, async (s, a, b) => await WebhookMatrix.OnEndpointAsync(s, b, async (w, id) => (Result)await w.Endpoints.DeleteAsync(a, id, None))),
        ["WebhookEndpointService.RotateSecretAsync"] = new(TenantRole.Admin, async (s, a, b) => await WebhookMatrix.OnEndpointAsync(s, b, (w, id) => w.Endpoints.RotateSecretAsync(a, id, None))),
        ["WebhookDeliveryService.ListAsync"] = new(TenantRole.Admin, async (s, a, b) => await (await WebhookMatrix.ArrangeAsync(s, b)).Deliveries
            .ListAsync(a, new TenantPortal.Data.Services.Webhooks.WebhookDeliveryFilter(), None)),
        ["WebhookDeliveryService.GetAsync"] = new(TenantRole.Admin, async (s, a, b) => await WebhookMatrix.OnDeliveryAsync(s, b, (w, id) => w.Deliveries.GetAsync(a, id, None))),
        ["WebhookDeliveryService.ResendAsync"] = new(TenantRole.Admin, async (s, a, b) => await WebhookMatrix.OnDeliveryAsync(s, b, (w, id) => w.Deliveries.ResendAsync(a, id, None))),
        ["SsoConnectionService.GetAsync"] = new(TenantRole.Admin, async (s, a, b) => await Sso(s, b).GetAsync(a, None)),
        // Alpha is on Starter: past the gate an admin hears that single sign-on is not in the plan (SsoConnectionServiceTests covers the rest).
        ["SsoConnectionService.ConfigureAsync"] = new(TenantRole.Admin, async (s, a, b) => NotInPlanIsPastTheGate(await Sso(s, b).ConfigureAsync(a,
            new TenantPortal.Data.Services.Sso.SsoSettingsInput("https://login.example.test/", "client", "secret", ["alpha.test"], TenantRole.Member, false), None))),
        ["SsoConnectionService.TestAsync"] = new(TenantRole.Admin, async (s, a, b) => NotInPlanIsPastTheGate(await Sso(s, b).TestAsync(a, "https://login.example.test/", None))),
        // Past the gate, alpha has no connection to switch off.
        ["SsoConnectionService.DisableAsync"] = new(TenantRole.Admin, async (s, a, b) =>
            await Sso(s, b).DisableAsync(a, None) is { Error: { Code: ErrorCodes.NotFound, Message: "Single sign-on is not set up for this workspace." } } ? Result.Success() : await Sso(s, b).DisableAsync(a, None)),
    };

    // A pending domain of tenant A, claimed for the case (each case works on a copy of the database).
    private static async Task<Guid> AlphaDomainAsync(TenancyTestBed b)
    {
        await using var db = b.Database.ForTenant(b.AlphaId);
        var domain = TenantPortal.Core.Domains.TenantDomain.Claim(b.AlphaId, "seeded.alpha.example", "matrix-token", b.Time.GetUtcNow());
        db.TenantDomains.Add(domain);
        await db.SaveChangesAsync();
        return domain.Id;
    }

    // The domain service as AddDomainServices builds it, over the scope's tenant; DNS is never reached (no server answers
    // on the discard port, and the lookup gives up at once: "not found this time").
    private static TenantPortal.Data.Services.Domains.DomainService Domains(TenancyTestBed.Scope s, TenancyTestBed b)
    {
        var audit = new TenantPortal.Data.Services.Audit.AuditWriter(b.Time);
        var verifier = new TenantPortal.Data.Services.Domains.DomainVerifier(Microsoft.Extensions.Options.Options.Create(
                new DomainVerificationOptions { DnsServer = "127.0.0.1:9", DnsTimeoutMilliseconds = 100, DnsRetries = 0 }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TenantPortal.Data.Services.Domains.DomainVerifier>.Instance);
        var recorder = new TenantPortal.Data.Services.Domains.DomainCheckRecorder(audit, new TenantPortal.Data.Services.Domains.DomainLossNotifier(b.Mail, b.Addresses,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TenantPortal.Data.Services.Domains.DomainLossNotifier>.Instance), []);
        return new(s.Contexts, b.Addresses, verifier, recorder, audit, b.Time);
    }

    // The budget service as AddDataServices builds it, over the scope's tenant (its operator read is not in this matrix).
    private static TenantPortal.Data.Services.Budgets.SpendBudgetService Budgets(TenancyTestBed.Scope s, TenancyTestBed b) =>
        new(s.Contexts, s.Tenant, new Microsoft.Extensions.DependencyInjection.ServiceCollection().BuildServiceProvider()
            .GetRequiredService<Microsoft.Extensions.DependencyInjection.IServiceScopeFactory>(), new TenantPortal.Data.Services.Audit.AuditWriter(b.Time), b.Time);

    // The SSO settings service as AddDataServices builds it (a key ring of its own; no provider is ever called here).
    private static TenantPortal.Data.Services.Sso.SsoConnectionService Sso(TenancyTestBed.Scope s, TenancyTestBed b) =>
        new(s.Contexts, s.Entitlements, new TenantPortal.Data.Services.Sso.SsoSecretProtector(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider()),
            new TenantPortal.Data.Services.Sso.SsoDiscovery(new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>()),
            new TenantPortal.Data.Services.Audit.AuditWriter(b.Time), b.Time, Microsoft.Extensions.Options.Options.Create(new SsoOptions()));

    private static Result NotInPlanIsPastTheGate(Result result) =>
        result is { Error.Code: ErrorCodes.FeatureNotIncluded }
            ? Result.Success() : result;

    /// <summary>Operations that take an actor but are not scoped to the current tenant, and why.</summary>
    private static readonly Dictionary<string, string> NotTenantScoped = new()
    {
        ["TenantService.CreateAsync"] = "creates a new tenant; any signed-in user may",
        ["InvitationAcceptanceService.AcceptAsync"] = "the invitee is not a member yet; checked by token and email (InvitationServiceTests)",
        ["BackfillPreviewService.PreviewCsvAsync"] = "operators only, across tenants; checked against the Operator role (BackfillPreviewServiceTests)",
        ["InvoiceSettlementService.MarkPaidAsync"] = "operators only, across tenants; checked against the Operator role (InvoiceSettlementServiceTests)",
        ["InvoiceSettlementService.ListOpenAsync"] = "operators only, across tenants; checked against the Operator role (BillingLifecycleTests)",
        ["FleetService.SummaryAsync"] = "operators only, across tenants; checked against the Operator role (FleetServiceTests)",
        ["FleetService.ListAsync"] = "operators only, across tenants; checked against the Operator role (FleetServiceTests)",
        ["FleetAuditService.QueryAsync"] = "operators only, the whole fleet's log; checked against the Operator role (FleetAuditServiceTests)",
        ["FleetAuditExportService.StartAsync"] = "operators only, the whole fleet's log; checked against the Operator role (FleetAuditExportServiceTests)",
        ["StripeInboxService.ListAsync"] = "operators only, the fleet-level webhook inbox; checked against the Operator role (StripeInboxServiceTests)",
        ["StripeInboxService.PayloadAsync"] = "operators only, the fleet-level webhook inbox; checked against the Operator role (StripeInboxServiceTests)",
        ["StripeInboxService.HealthAsync"] = "operators only, the fleet-level webhook inbox; checked against the Operator role (StripeInboxServiceTests)",
        ["StripeInboxService.ProcessAgainAsync"] = "operators only, the fleet-level webhook inbox; checked against the Operator role (StripeInboxServiceTests)",
        ["InvoiceSettlementService.VoidAsync"] = "operators only, across tenants; checked against the Operator role (InvoiceSettlementServiceTests)",
        ["SpendBudgetService.GetForOperatorAsync"] = "operators only, across tenants; checked against the Operator role (SpendBudgetServiceTests)",
        ["OperatorCreditService.GetAsync"] = "operators only, across tenants; checked against the Operator role (CreditScenarioTests)",
        ["OperatorCreditService.GrantAsync"] = "operators only, across tenants; checked against the Operator role (CreditScenarioTests)",
        ["OperatorCreditService.RevokeAsync"] = "operators only, across tenants; checked against the Operator role (CreditScenarioTests)",
        ["OperatorTenantService.GetAsync"] = "operators only, across tenants; checked against the Operator role (OperatorTenantServiceTests)",
        ["OperatorTenantService.SuspendAsync"] = "operators only, across tenants; checked against the Operator role (OperatorTenantServiceTests)",
        ["OperatorTenantService.ReactivateAsync"] = "operators only, across tenants; checked against the Operator role (OperatorTenantServiceTests)",
        ["OperatorTenantService.ChangeTierAsync"] = "operators only, across tenants; checked against the Operator role (OperatorTenantServiceTests)",
        ["OperatorTenantService.ExtendTrialAsync"] = "operators only, across tenants; checked against the Operator role (OperatorTenantServiceTests)",
        ["UserSessionService.RevokeAsync"] = "a user's own sign-in session, in no tenant; only the actor's own sessions (UserSessionServiceTests, SessionEndTests)",
        ["UserSessionService.RevokeOthersAsync"] = "a user's own sign-in sessions, in no tenant; only the actor's own sessions (UserSessionServiceTests)",
        ["UserSessionService.RevokeAllAsync"] = "a user's own sign-in sessions, in no tenant; only the actor's own sessions (UserSessionServiceTests)",
        ["OperatorTenantService.SetQuotaOverrideAsync"] = "operators only, across tenants; checked against the Operator role (OperatorTenantServiceTests)",
        ["OperatorTenantService.ClearQuotaOverrideAsync"] = "operators only, across tenants; checked against the Operator role (OperatorTenantServiceTests)",
        ["OperatorTenantService.ResendInvitationAsync"] = "operators only, across tenants; checked against the Operator role (OperatorTenantServiceTests)",
        ["OperatorTenantService.CreateTenantAsync"] = "operators create a tenant for a customer; checked against the Operator role (OperatorTenantServiceTests)",
        ["EntitlementOverrideService.ListAsync"] = "operators only, across tenants; checked against the Operator role (EntitlementOverrideServiceTests)",
        ["EntitlementOverrideService.SetAsync"] = "operators only, across tenants; checked against the Operator role (EntitlementOverrideServiceTests)",
        ["EntitlementOverrideService.RemoveAsync"] = "operators only, across tenants; checked against the Operator role (EntitlementOverrideServiceTests)",
        ["UsageCorrectionService.CreateForTenantAsync"] = "operators only, across tenants; checked against the Operator role (UsageCorrectionServiceTests)",
        ["UsageCorrectionService.RevertForTenantAsync"] = "operators only, across tenants; checked against the Operator role (UsageCorrectionServiceTests)",
        ["UsageCorrectionService.ListForTenantAsync"] = "operators only, across tenants; checked against the Operator role (UsageCorrectionServiceTests)",
        ["MemberProvisioner.AddAsync"] = "adds a member without an invitation on a context its caller scoped to the tenant; the callers decide who may (a SCIM token of that tenant, an SSO sign-in, a verified domain): ScimProvisioningTests, ScimServicesTests, AffiliationTests",
        ["SsoDirectory.RecordBreakGlassAsync"] = "the audit entry of an owner's break-glass password log-in, before any tenant is entered; the user's own memberships decide the tenants (SsoSignInTests)",
        ["AuditWriter.Record"] = "adds the audit entry of an operation to that operation's own save; not an operation itself",
        ["DomainAffiliationService.JoinAsync"] = "the user is not a member yet: joins a workspace offered through their own confirmed email domain (AffiliationTests)",
        ["DomainAffiliationService.JoinAutomaticallyAsync"] = "the user is not a member yet: joins the auto-join workspaces of their own confirmed email domain (AffiliationTests)",
    };

    private static readonly string[] Callers = ["owner", "admin", "member", "viewer", "beta-owner", "stranger"];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var operation in Operations.Keys)
            foreach (var caller in Callers)
                data.Add(operation, caller);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Operation_IsAllowedFromItsMinimumRole_ForbiddenBelow_AndNotFoundForOutsiders(string operation, string caller)
    {
        var bed = template.Bed.Clone();
        try
        {
            var entry = Operations[operation];
            var actor = caller == "stranger" ? new Actor("no-such-user", "stranger@example.test") : bed.ActorOf(caller);
            TenantRole? role = caller switch
            {
                "owner" => TenantRole.Owner, "admin" => TenantRole.Admin, "member" => TenantRole.Member, "viewer" => TenantRole.Viewer, _ => null,
            };

            var result = await entry.Run(bed.In(bed.AlphaId), actor, bed);

            if (role is null)
                Assert.Equal(ErrorCodes.NotFound, result.Error?.Code);
            else if (role >= entry.MinimumRole)
                Assert.True(result.IsSuccess, $"{caller} should be allowed: {result.Error?.Code} {result.Error?.Message}");
            else
                Assert.Equal(ErrorCodes.Forbidden, result.Error?.Code);
        }
        finally
        {
            await bed.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("InvitationService.ResendAsync")]
    [InlineData("InvitationService.RevokeAsync")]
    [InlineData("ApiKeyService.RevokeAsync")]
    [InlineData("MemberService.ChangeRoleAsync")]
    [InlineData("MemberService.RemoveAsync")]
    [InlineData("WebhookEndpointService.DeleteAsync")]
    [InlineData("WebhookDeliveryService.ResendAsync")]
    public async Task OwnerOfTenantB_WorkingInB_CantReachTenantAsRows_ByTheirIds(string operation)
    {
        var bed = template.Bed.Clone();
        try
        {
            var result = await Operations[operation].Run(bed.In(bed.BetaId), bed.ActorOf("beta-owner"), bed);

            Assert.Equal(ErrorCodes.NotFound, result.Error?.Code);
            Assert.Equal(TenantRole.Viewer, (await bed.In(null).Access.CheckAsync(bed.AlphaId, bed.Users["target"].Id, None))?.Role);
            Assert.Contains((await bed.In(bed.AlphaId).Invitations.ListPendingAsync(bed.ActorOf("owner"), None)).Value, i => i.Id == bed.PendingInvitationId && i.SendCount == 1);
            Assert.Null((await bed.In(bed.AlphaId).ApiKeys.ListAsync(bed.ActorOf("owner"), None)).Value.Single(k => k.Id == bed.AlphaKeyId).RevokedAt);
        }
        finally
        {
            await bed.DisposeAsync();
        }
    }

    [Fact]
    public void EveryOperationTakingAnActor_HasAnEntry()
    {
        var discovered = typeof(PortalDbContext).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsPublic: true } && t != typeof(Actor) && t.Namespace?.StartsWith("TenantPortal.Data.Services", StringComparison.Ordinal) == true)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(Actor)))
                .Select(m => $"{t.Name}.{m.Name}"))
            .ToHashSet();

        var listed = Operations.Keys.Concat(NotTenantScoped.Keys).ToHashSet();
        Assert.True(discovered.SetEquals(listed),
            $"Missing from the matrix: {string.Join(", ", discovered.Except(listed))}; listed but gone: {string.Join(", ", listed.Except(discovered))}");
    }
}
