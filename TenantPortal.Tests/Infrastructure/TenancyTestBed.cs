using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Invitations;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.ApiKeys;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Data.Services.Members;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Web.Options;
using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// A migrated database (SQLite by default, or the provider given to <see cref="On"/>) with tenant A (slug "alpha", Starter: an owner, a second owner, an admin, a member, a viewer,
/// and a spare viewer to act on, a pending invitation and an API key) and tenant B ("beta", one owner), and the
/// tenancy services built as a DI scope would build them, for whichever tenant a test works in.
/// </summary>
public partial class TenancyTestBed : IAsyncLifetime
{
    /// <summary>A bed on SQLite (a class fixture needs a constructor without arguments).</summary>
    public TenancyTestBed() : this(DatabaseProvider.Sqlite)
    {
    }

    protected TenancyTestBed(DatabaseProvider provider) => Database = TestDatabase.Create(provider);

    private TenancyTestBed(TestDatabase database) => Database = database;

    /// <summary>A bed on <paramref name="provider"/>.</summary>
    public static TenancyTestBed On(DatabaseProvider provider) => new(provider);

    /// <summary>A bed on PostgreSQL, as a class fixture.</summary>
    public sealed class OnPostgreSql() : TenancyTestBed(DatabaseProvider.PostgreSql);

    public const string AlphaSlug = "alpha";

    /// <summary>Alpha's October 2026 invoice: Starter base plus 500 API calls of overage.</summary>
    public const string AlphaInvoiceNumber = "ALPHA-202610";

    /// <summary>A credit note of 50 cents against <see cref="AlphaInvoiceNumber"/>.</summary>
    public const string AlphaCreditNoteNumber = "ALPHA-202610-CN1";

    /// <summary>The overage line of <see cref="AlphaInvoiceNumber"/>.</summary>
    public static readonly Guid AlphaOverageLineId = new("0b5e7a1c-0000-4000-8000-00000000a1fa");
    public const string BetaSlug = "beta";

    /// <summary>The bed's portal: its public address, and the domain its tenant hosts are under.</summary>
    public const string PublicHost = "portal.test";
    public const string PublicUrl = "https://" + PublicHost;
    public const string RootDomain = "tenants.test";
    public const string PendingInviteEmail = "pending@alpha.test";

    public TestDatabase Database { get; }
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    public CapturingMailSender Mail { get; } = new();
    public Uri AcceptUrl { get; } = new(PublicUrl + "/invitations/accept");

    /// <summary>The portal's addresses as the portal's registration makes them, from <see cref="PublicUrl"/> and <see cref="RootDomain"/>.</summary>
    public PortalAddresses Addresses { get; } = new(Options.Create(new PortalOptions { PublicUrl = PublicUrl }), Options.Create(new TenancyOptions { RootDomain = RootDomain }));

    public Guid AlphaId { get; private set; }
    public Guid BetaId { get; private set; }
    public Guid PendingInvitationId { get; private set; }
    public Guid AlphaKeyId { get; private set; }
    public Guid AlphaStamp { get; private set; }

    /// <summary>The users by name: owner, owner2, admin, member, viewer, target (a spare viewer), beta-owner, outsider (no tenant).</summary>
    public Dictionary<string, PortalUser> Users { get; } = [];

    public Actor ActorOf(string name) => new(Users[name].Id, Users[name].Email!, "203.0.113.7");

    /// <summary>Services working in the given tenant (or none), sharing one tenant context as a scope does.</summary>
    public Scope In(Guid? tenantId)
    {
        var tenant = new TenantContext();
        if (tenantId is { } id)
            tenant.SetTenant(id);
        return new Scope(this, tenant);
    }

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await using var db = Database.CrossTenant();
        foreach (var name in new[] { "owner", "owner2", "admin", "member", "viewer", "target", "beta-owner", "outsider" })
        {
            var email = $"{name}@{(name.StartsWith("beta") ? "beta" : "alpha")}.test";
            var user = new PortalUser { UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), CreatedAt = Time.GetUtcNow() };
            Users[name] = user;
            db.Users.Add(user);
        }
        // alpha subscribed to Starter when it was created; beta is on Starter without a subscription.
        var alpha = new TenantBuilder().WithSlug(AlphaSlug).OnPlan(SubscriptionTier.Starter).Build();
        alpha.RenewPeriod(Time.GetUtcNow());
        var beta = new TenantBuilder().WithSlug(BetaSlug).OnPlan(SubscriptionTier.Starter).Unsubscribed().Build();
        db.Tenants.AddRange(alpha, beta);
        foreach (var (name, role) in new[] { ("owner", TenantRole.Owner), ("owner2", TenantRole.Owner), ("admin", TenantRole.Admin),
                     ("member", TenantRole.Member), ("viewer", TenantRole.Viewer), ("target", TenantRole.Viewer) })
            db.Members.Add(new TenantMember { TenantId = alpha.Id, UserId = Users[name].Id, Role = role, JoinedAt = Time.GetUtcNow() });
        db.Members.Add(new TenantMember { TenantId = beta.Id, UserId = Users["beta-owner"].Id, Role = TenantRole.Owner, JoinedAt = Time.GetUtcNow() });
        var invitation = new Invitation
        {
            TenantId = alpha.Id, Email = PendingInviteEmail, Role = TenantRole.Member, TokenHash = SecretHasher.Sha256Hex("seeded-token"),
            Status = InvitationStatus.Pending, CreatedAt = Time.GetUtcNow(), ExpiresAt = Time.GetUtcNow().AddDays(7),
            InvitedByUserId = Users["owner"].Id, LastSentAt = Time.GetUtcNow(), SendCount = 1,
        };
        db.Invitations.Add(invitation);
        var key = new ApiKey
        {
            TenantId = alpha.Id, Name = "seeded", Prefix = "tp_live_seeded00", SecretHash = SecretHasher.Sha256Hex("tp_live_seeded00-secret"),
            CreatedAt = Time.GetUtcNow(), CreatedByUserId = Users["owner"].Id,
        };
        db.ApiKeys.Add(key);
        var october = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var invoice = InvoiceComposer.Compose(alpha, october, new PeriodUsage(100_500, 0, 0), october.AddMonths(1).AddDays(1));
        invoice.Lines.Single(l => l.Kind == InvoiceLineKind.Overage).Id = AlphaOverageLineId;
        db.Invoices.Add(invoice);
        db.CreditNotes.Add(CreditNote.Create(invoice, 1, [new CreditNoteLine
        {
            Metric = TenantPortal.Core.Usage.UsageMetric.ApiCalls, UsagePeriodStart = october, Description = "API calls corrected", Quantity = 500,
            UnitPriceCents = 0.1m, AmountCents = 50,
        }], "Seeded correction", "seeded-correction", october.AddMonths(1).AddDays(3)));
        await db.SaveChangesAsync();
        (AlphaId, BetaId, PendingInvitationId, AlphaKeyId, AlphaStamp) = (alpha.Id, beta.Id, invitation.Id, key.Id, alpha.ConcurrencyStamp);
    }

    public async Task DisposeAsync()
    {
        if (_usageWriter is not null)
            await _usageWriter.DisposeAsync();
        await Database.DisposeAsync();
    }

    private SqliteUsageWriter? _usageWriter;

    /// <summary>The usage event store of the bed's provider, as AddDataServices registers it (SQLite: over <see cref="UsageWriter"/>).</summary>
    public IUsageEventStore UsageEventStore => Database.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteUsageEventStore(UsageWriter),
        _ => new PostgreSqlUsageEventStore(In(null).Contexts, CommitBarrier),
    };

    /// <summary>The usage commit barrier of the bed's provider, as AddDataServices registers it.</summary>
    public IUsageCommitBarrier CommitBarrier => Database.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteUsageCommitBarrier(),
        _ => new PostgreSqlUsageCommitBarrier(),
    };

    /// <summary>The rollup store of the bed's provider, as AddDataServices registers it.</summary>
    public IRollupStore RollupStore => Database.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteRollupStore(),
        _ => new PostgreSqlRollupStore(),
    };

    /// <summary>The API key cache of this bed (one per process in the portal), shared by every scope.</summary>
    public ApiKeyCache ApiKeyCache => _apiKeyCache ??= new ApiKeyCache(Time);

    /// <summary>The bed's entitlement cache; its contexts have no invalidation interceptor, so tests that change state invalidate it.</summary>
    public TenantPortal.Data.Services.Entitlements.EntitlementCache EntitlementCache => _entitlementCache ??= new(Time);
    private TenantPortal.Data.Services.Entitlements.EntitlementCache? _entitlementCache;

    private ApiKeyCache? _apiKeyCache;

    /// <summary>The usage writer of this database (one per database, as the portal has one per process); made on first use.</summary>
    public SqliteUsageWriter UsageWriter => _usageWriter ??= Database.Provider == DatabaseProvider.Sqlite
        ? new SqliteUsageWriter(Database.ConnectionString, synchronousFull: false)
        : throw new InvalidOperationException("The SQLite usage writer is for a bed on SQLite; use UsageEventStore.");

    /// <summary>The same data in a fresh copy of the database (same ids and users), for one test case; dispose it after.</summary>
    public TenancyTestBed Clone()
    {
        var clone = new TenancyTestBed(Database.Copy());
        foreach (var (name, user) in Users)
            clone.Users[name] = user;
        (clone.AlphaId, clone.BetaId, clone.PendingInvitationId, clone.AlphaKeyId, clone.AlphaStamp) = (AlphaId, BetaId, PendingInvitationId, AlphaKeyId, AlphaStamp);
        return clone;
    }

    /// <summary>The token in the accept link of an invitation email.</summary>
    public static string TokenFrom(string text) => TokenInLink().Match(text) is { Success: true } m
        ? Uri.UnescapeDataString(m.Groups[1].Value)
        : throw new InvalidOperationException("No accept link in the email.");

    [GeneratedRegex(@"invitations/accept\?token=([A-Za-z0-9_%\-]+)")]
    private static partial Regex TokenInLink();

    /// <summary>The services of one scope.</summary>
    public sealed class Scope(TenancyTestBed bed, TenantContext tenant)
    {
        private readonly TestContextFactory _contexts = new(bed.Database, tenant);
        private readonly AuditWriter _audit = new(bed.Time);

        public TenantContext Tenant => tenant;
        public TestContextFactory Contexts => _contexts;
        public TenantService Tenants => new(_contexts, tenant, _audit, Creator, bed.Addresses, Deletion, bed.Time);
        public TenantDeletionService Deletion => new(_contexts, NullLogger<TenantDeletionService>.Instance);
        public TenantCreator Creator => new(_contexts, tenant, Options.Create(new BillingOptions()), bed.Time);
        public MemberService Members => new(_contexts, _audit);
        public InvitationService Invitations => new(_contexts, new InvitationMailer(bed.Mail, bed.Time), _audit, bed.Time);
        public InvitationAcceptanceService Acceptance => new(_contexts, tenant, _audit, bed.Time);
        public ApiKeyService ApiKeys => new(_contexts, _audit, bed.ApiKeyCache, bed.Time, NullLogger<ApiKeyService>.Instance, Entitlements);
        public TenantPortal.Data.Services.Entitlements.EntitlementService Entitlements =>
            new(_contexts, TenantPortal.Core.Entitlements.PlanEntitlements.Defaults, bed.EntitlementCache, bed.Time);
        public TenantPortal.Data.Services.Entitlements.EntitlementOverrideService EntitlementOverrides =>
            new(_contexts, TenantPortal.Core.Entitlements.PlanEntitlements.Defaults, _audit, bed.Time);
        public AuditQueryService Audit => new(_contexts);
        public TenantPortal.Data.Services.Audit.Export.AuditExportService AuditExports => new(_contexts, Entitlements, _audit, bed.Time);
        public TenantPortal.Data.Services.Audit.Export.FleetAuditExportService FleetAuditExports => new(_contexts, tenant, _audit, bed.Time);
        public BillingService Billing => new(_contexts, new LedgerGateway(), _audit, Options.Create(new BillingOptions()), bed.Time, NullLogger<BillingService>.Instance);
        public InvoiceService Invoices => new(_contexts, History);
        public CreditNoteService CreditNotes => new(_contexts);
        public TenantPortal.Data.Services.Billing.Credits.CreditAlertService CreditAlerts =>
            new(_contexts, tenant, new BillingNotifier(_contexts, bed.Mail, bed.Addresses, bed.Time, NullLogger<BillingNotifier>.Instance), _audit, bed.Time,
                NullLogger<TenantPortal.Data.Services.Billing.Credits.CreditAlertService>.Instance);
        public TenantPortal.Data.Services.Billing.Credits.CreditService Credits =>
            new(_contexts, new LedgerGateway(), _audit, CreditAlerts, Entitlements, bed.Time, NullLogger<TenantPortal.Data.Services.Billing.Credits.CreditService>.Instance);
        public UsageHistoryService History => new(_contexts, bed.Time);
        public TenantPortal.Data.Services.Notifications.OwnerAskService Asks =>
            new(_contexts, new TenantPortal.Data.Services.Metering.UsageReportService(_contexts, bed.Time), bed.Time,
                NullLogger<TenantPortal.Data.Services.Notifications.OwnerAskService>.Instance);
        public TenantAccessService Access => new(_contexts, tenant);
    }
}
