using System.Text.RegularExpressions;

namespace TenantPortal.Tests.Isolation;

/// <summary>
/// Reading or writing past the tenant filter is allowed only where listed here, with the reason. New code that calls
/// IgnoreQueryFilters or opens a cross-tenant scope fails this test until it is reviewed and listed.
/// </summary>
public partial class UnfilteredReadsTests
{
    private static readonly Dictionary<string, string> Allowed = new()
    {
        ["TenantPortal.Data/Services/FleetService.cs"] = "/ops: the operators' fleet view (callers hold the Operator role)",
        ["TenantPortal.Data/Services/TenantAccessService.cs"] = "a user's own memberships, by their user id, for the switcher and access checks (a scope on that context only)",
        ["TenantPortal.Data/Services/ApiKeys/ApiKeyService.cs"] = "authenticating an API key: the key tells the tenant (a scope on that context only, for the lookup and the last-used stamp)",
        ["TenantPortal.Data/Services/Scim/ScimUserService.cs"] = "a SCIM create refused for seats removes the account it made a moment ago, once no tenant has a membership of it (a scope on that context only)",
        ["TenantPortal.Data/Services/Scim/ScimTokenService.cs"] = "authenticating a SCIM token: the token tells the tenant (a scope on that context only, for the lookup and the last-used stamp)",
        ["TenantPortal.Data/Services/Invitations/InvitationAcceptanceService.cs"] = "an invitee is not a member yet: lookup by token hash (a scope on that context only), then the invitation's own tenant",
        ["TenantPortal.Data/Services/Tenants/TenantDeletionService.cs"] = "deleting the data of a tenant its owner deleted (after TenantService's gate, or the tenant-deletion job), by the tenant's id",
        ["TenantPortal.Data/Services/Tenants/TenantCreator.cs"] = "creating a tenant (for a customer or by an operator): its first rows are written before it exists",
        ["TenantPortal.Web/Security/TenantHosts.cs"] = "routing a verified custom domain to its tenant before any tenant is known",
        ["TenantPortal.Data/Services/Domains/DomainCheckRecorder.cs"] = "whether another tenant holds a domain name verified (one holds it at a time), by that name only (a scope on that context only)",
        ["TenantPortal.Data/Services/Domains/DomainCheckService.cs"] = "the domain-verification job lists the tenants holding verified domains, then checks each in a scope of its own",
        ["TenantPortal.Data/Services/Domains/DomainAffiliationService.cs"] = "sign-up affiliation: the verified domains matching a user's own confirmed email domain, and joining one through MemberProvisioner (a scope on that context only)",
        ["TenantPortal.Web/Startup/DemoDataSeeder.cs"] = "seeding the demo tenants at start-up",
        ["TenantPortal.Data/Services/Metering/UsageMeter.cs"] = "the quota totals' snapshot reads the highest event id of the whole table (a number, no tenant's data) to know which stored events it already counts (a scope on that context only)",
        ["TenantPortal.Data/Services/Metering/MeteringRollupService.cs"] = "the metering-rollup job aggregates every tenant's events, keyed by tenant",
        ["TenantPortal.Data/Services/Invitations/InvitationCleanupService.cs"] = "the invitation-cleanup job expires overdue invitations of every tenant",
        ["TenantPortal.Data/Services/Metering/ApiRefusalService.cs"] = "the rollup job flushes every tenant's refused-request counts, keyed by tenant",
        ["TenantPortal.Data/Services/Notifications/QuotaAlertService.cs"] = "the quota-alerts job lists every tenant, then checks each in a scope of its own",
        ["TenantPortal.Data/Services/Billing/BillingNotifier.cs"] = "billing notices go to the owners of the tenant a job or webhook works on, selected by its id (a scope on that context only)",
        ["TenantPortal.Data/Services/Billing/InvoicingService.cs"] = "the monthly-invoicing job lists every tenant, then invoices each in a scope of its own",
        ["TenantPortal.Data/Services/Billing/SubscriptionRenewalService.cs"] = "the subscription-renewals job lists tenants whose period ended, then renews each in a scope of its own",
        ["TenantPortal.Data/Services/Billing/TrialExpiryService.cs"] = "the trial-expiry job lists tenants whose trial ends soon, then handles each in a scope of its own",
        ["TenantPortal.Data/Services/Billing/DunningService.cs"] = "the dunning job lists tenants with overdue invoices, then handles each in a scope of its own",
        ["TenantPortal.Data/Services/Budgets/SpendBudgetService.cs"] = "operators (checked against the Operator role) read any tenant's spend budget: the role check and the tenant's existence past the filter, the rest in a scope working for the tenant",
        ["TenantPortal.Data/Services/Billing/InvoiceSettlementService.cs"] = "operators (checked against the Operator role) settle any tenant's ledger invoice",
        ["TenantPortal.Data/Services/Billing/Webhooks/StripeTenantResolver.cs"] = "a Stripe webhook names its tenant by metadata or Stripe ids; once found, the event is applied working for that tenant only",
        ["TenantPortal.Web/Security/OperatorAccountService.cs"] = "the fleet-level audit entry of an operator invited or removed (no tenant)",
        ["TenantPortal.Data/Services/Operations/OperatorTenantService.cs"] = "operators (checked against the Operator role) read and act on any one tenant by its id",
        ["TenantPortal.Data/Services/Audit/FleetAuditService.cs"] = "/ops/audit: operators (checked against the Operator role) read every tenant's audit log",
        ["TenantPortal.Data/Services/Audit/Export/FleetAuditExportService.cs"] = "/ops/audit/export: operators (checked against the Operator role) export every tenant's audit log and the fleet entries",
        ["TenantPortal.Data/Services/Billing/Webhooks/StripeInboxService.cs"] = "/ops/billing/events: operators (checked against the Operator role) list the webhook inbox with each event's tenant",
        ["TenantPortal.Web/Startup/OperatorBootstrapper.cs"] = "the fleet-level audit entry of the bootstrap operator",
        ["TenantPortal.Data/Services/Metering/Corrections/UsageCorrectionService.cs"] = "operators (checked against the Operator role) correct, revert and list any one tenant's usage corrections by its id",
        ["TenantPortal.Data/Services/Entitlements/EntitlementOverrideService.cs"] = "operators (checked against the Operator role) read, set and remove any one tenant's feature overrides by its id",
        ["TenantPortal.Data/Services/Entitlements/EntitlementService.cs"] = "the entitlement cache loads one tenant's tier and overrides by the id its caller already resolved (an API key, a membership, the tenant being served)",
        ["TenantPortal.Data/Services/Metering/Corrections/BackfillPreviewService.cs"] = "operators (checked against the Operator role) preview a backfill of any one tenant by its id",
        ["TenantPortal.Data/Services/Billing/Credits/OperatorCreditService.cs"] = "operators (checked against the Operator role) read, grant and revoke any one tenant's credits by its id",
        ["TenantPortal.Data/Services/Billing/Credits/CreditAlertService.cs"] = "the quota-alerts job lists the tenants with a low-balance threshold, then checks each selected by its id",
        ["TenantPortal.Data/Services/Webhooks/WebhookDispatcher.cs"] = "the webhook-dispatch job reads every tenant's outbox and makes each event's deliveries to its own tenant's endpoints, keyed by tenant",
        ["TenantPortal.Data/Services/Webhooks/WebhookSender.cs"] = "a webhook delivery job works on one delivery by its id, with that delivery's own endpoint, event and tenant's admins",
        ["TenantPortal.Data/Services/Sso/SsoDirectory.cs"] = "single sign-on before anyone is signed in: the tenant holding an email's domain verified, the connection a sign-in or callback path names, a user's own memberships in tenants that require SSO (by their user id), and the break-glass audit entry in the tenants they own (a scope on that context only)",
        ["TenantPortal.Web/Security/Sso/SsoSignIn.cs"] = "single sign-on: joining the tenant whose identity provider signed the user in, by the id of the connection the callback named (a scope on that context only)",
        ["TenantPortal.Data/Services/Sessions/UserSessionService.cs"] = "the user-level audit entry (no tenant) of a session its user ended (a scope on that context only)",
    };

    [Fact]
    public void NoCode_IgnoresQueryFilters_BecauseRowLevelSecurityWouldStillHideTheRows()
    {
        var root = FindRoot();
        var found = SourceFiles(root)
            .Where(f => File.ReadAllText(f).Contains(".IgnoreQueryFilters()", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .ToList();

        Assert.True(found.Count == 0,
            "IgnoreQueryFilters() turns off only the EF Core filter; on SQL Server row-level security still hides other tenants' rows. " +
            $"Open a cross-tenant scope instead (PortalDbContext.BeginCrossTenantScope for one context): {string.Join(", ", found)}");
    }

    [Fact]
    public void OnlyListedCode_GoesPastTheTenantFilter()
    {
        var root = FindRoot();
        var found = SourceFiles(root)
            .Where(f => Bypass().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .ToHashSet();

        var unlisted = found.Except(Allowed.Keys).ToList();
        Assert.True(unlisted.Count == 0, $"Code goes past the tenant filter without a listed reason: {string.Join(", ", unlisted)}");
        Assert.Empty(Allowed.Keys.Except(found));
    }

    private static IEnumerable<string> SourceFiles(string root) =>
        new[] { "TenantPortal.Core", "TenantPortal.Data", "TenantPortal.Web" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(root, project), "*.*", SearchOption.AllDirectories))
            .Where(f => (f.EndsWith(".cs") || f.EndsWith(".razor")) && !f.Contains("/bin/") && !f.Contains("/obj/"));

    // Calls, not the declarations in ITenantContext/TenantContext.
    [GeneratedRegex(@"\.IgnoreQueryFilters\(\)|\.BeginCrossTenantScope\(""")]
    private static partial Regex Bypass();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TenantPortal.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("TenantPortal.sln not found above the test output folder.");
    }
}
