using System.Linq.Expressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Common;
using TenantPortal.Core.Invitations;
using TenantPortal.Core.Members;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data;

/// <summary>
/// The one context of the portal: ASP.NET Identity, Data Protection keys and the domain.
/// Every tenant-owned entity gets a query filter on the current tenant, and saving a row of another
/// tenant throws. Derived per provider (<see cref="SqlitePortalDbContext"/>, <see cref="SqlServerPortalDbContext"/>)
/// so that each has its own migrations.
/// </summary>
public abstract class PortalDbContext : IdentityDbContext<PortalUser>, IDataProtectionKeyContext
{
    private readonly ContextTenant _tenant;

    /// <summary>Creates the context for the given tenant context.</summary>
    protected PortalDbContext(DbContextOptions options, ITenantContext tenant) : base(options) => _tenant = new ContextTenant(tenant);

    /// <summary>
    /// The tenant context this instance filters and guards with (and, on SQL Server, sets as the session context of each
    /// command): the scope's, plus the cross-tenant scopes opened on this instance with <see cref="BeginCrossTenantScope"/>.
    /// </summary>
    public ITenantContext Tenant => _tenant;

    /// <summary>
    /// A cross-tenant scope for this context instance only (the request's or circuit's other contexts keep their tenant):
    /// for one narrow read past the tenant, such as a user's own memberships or an API key by its prefix. The EF Core filters,
    /// the save guard and SQL Server's row-level security all see it. Dispose to end it.
    /// </summary>
    public IDisposable BeginCrossTenantScope(string reason) => _tenant.BeginCrossTenantScope(reason);

    // Read by the query filters; EF Core evaluates them per query on this instance.
    private Guid? CurrentTenantId => _tenant.TenantId;
    private bool CrossTenant => _tenant.IsCrossTenant;

    /// <summary>Tenants.</summary>
    public DbSet<Tenant> Tenants => Set<Tenant>();
    /// <summary>Operator quota overrides.</summary>
    public DbSet<QuotaOverride> QuotaOverrides => Set<QuotaOverride>();
    /// <summary>Operators' overrides of tenants' plan features.</summary>
    public DbSet<Core.Entitlements.EntitlementOverride> EntitlementOverrides => Set<Core.Entitlements.EntitlementOverride>();
    /// <summary>Memberships.</summary>
    public DbSet<TenantMember> Members => Set<TenantMember>();
    /// <summary>Domains tenants claim and verify by DNS.</summary>
    public DbSet<Core.Domains.TenantDomain> TenantDomains => Set<Core.Domains.TenantDomain>();
    /// <summary>SCIM tokens (a directory provisions members with one).</summary>
    public DbSet<Core.Scim.ScimToken> ScimTokens => Set<Core.Scim.ScimToken>();
    /// <summary>Groups a directory pushed by SCIM.</summary>
    public DbSet<Core.Scim.ScimGroup> ScimGroups => Set<Core.Scim.ScimGroup>();
    /// <summary>The members of SCIM groups.</summary>
    public DbSet<Core.Scim.ScimGroupMember> ScimGroupMembers => Set<Core.Scim.ScimGroupMember>();
    /// <summary>Admins' group-to-role mappings for SCIM.</summary>
    public DbSet<Core.Scim.ScimGroupRoleMapping> ScimGroupRoleMappings => Set<Core.Scim.ScimGroupRoleMapping>();
    /// <summary>Tenants' webhook endpoints.</summary>
    public DbSet<Core.Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Core.Webhooks.WebhookEndpoint>();
    /// <summary>Webhook events (the outbox written with the audit log).</summary>
    public DbSet<Core.Webhooks.WebhookEvent> WebhookEvents => Set<Core.Webhooks.WebhookEvent>();
    /// <summary>Webhook deliveries: one per event and endpoint.</summary>
    public DbSet<Core.Webhooks.WebhookDelivery> WebhookDeliveries => Set<Core.Webhooks.WebhookDelivery>();
    /// <summary>Attempts of webhook deliveries.</summary>
    public DbSet<Core.Webhooks.WebhookAttempt> WebhookAttempts => Set<Core.Webhooks.WebhookAttempt>();
    /// <summary>Tenants' single sign-on connections (one per tenant).</summary>
    public DbSet<Core.Sso.SsoConnection> SsoConnections => Set<Core.Sso.SsoConnection>();
    /// <summary>Invitations.</summary>
    public DbSet<Invitation> Invitations => Set<Invitation>();
    /// <summary>API keys.</summary>
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    /// <summary>Raw usage events.</summary>
    public DbSet<UsageEvent> UsageEvents => Set<UsageEvent>();
    /// <summary>Usage corrections (their effect is in compensating events).</summary>
    public DbSet<UsageCorrection> UsageCorrections => Set<UsageCorrection>();
    /// <summary>The events of each usage correction.</summary>
    public DbSet<UsageCorrectionLine> UsageCorrectionLines => Set<UsageCorrectionLine>();
    /// <summary>Which active correction holds which event (one at most).</summary>
    public DbSet<UsageEventLock> UsageEventLocks => Set<UsageEventLock>();
    /// <summary>Usage rollups.</summary>
    public DbSet<UsageRollup> UsageRollups => Set<UsageRollup>();
    /// <summary>How far the metering jobs have processed the events.</summary>
    public DbSet<MeteringWatermark> MeteringWatermarks => Set<MeteringWatermark>();
    /// <summary>Each tenant's figures for the operators' fleet view (see <see cref="Services.FleetSnapshotRefresher"/>).</summary>
    public DbSet<Services.FleetUsageSnapshot> FleetUsageSnapshots => Set<Services.FleetUsageSnapshot>();
    /// <summary>Refused API requests per tenant and day.</summary>
    public DbSet<ApiRefusalDay> ApiRefusalDays => Set<ApiRefusalDay>();
    /// <summary>Invoices.</summary>
    public DbSet<Invoice> Invoices => Set<Invoice>();
    /// <summary>Invoice lines.</summary>
    public DbSet<InvoiceLine> InvoiceLines => Set<InvoiceLine>();
    /// <summary>Credit notes against issued invoices.</summary>
    public DbSet<CreditNote> CreditNotes => Set<CreditNote>();
    /// <summary>Credit note lines.</summary>
    public DbSet<CreditNoteLine> CreditNoteLines => Set<CreditNoteLine>();
    /// <summary>Prepaid credit grants.</summary>
    public DbSet<CreditGrant> CreditGrants => Set<CreditGrant>();
    /// <summary>What each credit grant paid of each invoice.</summary>
    public DbSet<CreditConsumption> CreditConsumptions => Set<CreditConsumption>();
    /// <summary>Tenants' credit settings (low-balance threshold and alert state).</summary>
    public DbSet<CreditAccount> CreditAccounts => Set<CreditAccount>();
    /// <summary>Tenants' plan history.</summary>
    public DbSet<PlanSegment> PlanSegments => Set<PlanSegment>();
    /// <summary>The Stripe webhook inbox (fleet-level).</summary>
    public DbSet<StripeWebhookEvent> StripeWebhookEvents => Set<StripeWebhookEvent>();
    /// <summary>In-app notices (per user).</summary>
    public DbSet<Notification> Notifications => Set<Notification>();
    /// <summary>The audit log.</summary>
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    /// <summary>Server-side sign-in sessions (per user, not per tenant).</summary>
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    /// <inheritdoc />
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <inheritdoc />
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        base.OnConfiguring(optionsBuilder);
        // Every context, on every provider, however created (portal, jobs, tests, harness): a tenant read is sent without the
        // cross-tenant term, so its plan seeks the tenant index.
        optionsBuilder.AddInterceptors(TenantFilterSqlInterceptor.Instance);
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);

        foreach (var entityType in builder.Model.GetEntityTypes())
        {
            if (typeof(ITenantOwned).IsAssignableFrom(entityType.ClrType) && entityType.BaseType is null)
            {
                typeof(PortalDbContext).GetMethod(nameof(ApplyTenantFilter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                    .MakeGenericMethod(entityType.ClrType)
                    .Invoke(this, [builder]);
            }
        }
        // Fleet entries (no tenant) are visible only in a cross-tenant scope, never to a context without a tenant.
        builder.Entity<AuditEntry>().HasQueryFilter(e => CrossTenant || (CurrentTenantId != null && e.TenantId == CurrentTenantId));
    }

    private void ApplyTenantFilter<T>(ModelBuilder builder) where T : class, ITenantOwned
    {
        Expression<Func<T, bool>> filter = e => CrossTenant || e.TenantId == CurrentTenantId;
        builder.Entity<T>().HasQueryFilter(filter);
    }

    /// <inheritdoc />
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        TenantSaveGuard.Apply(ChangeTracker, _tenant);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <inheritdoc />
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        TenantSaveGuard.Apply(ChangeTracker, _tenant);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    // The scope's tenant context seen through this instance: cross-tenant scopes opened here stay here.
    private sealed class ContextTenant(ITenantContext shared) : ITenantContext
    {
        private int _depth;

        public Guid? TenantId => shared.TenantId;

        public bool IsCrossTenant => _depth > 0 || shared.IsCrossTenant;

        public void SetTenant(Guid tenantId) => shared.SetTenant(tenantId);

        public IDisposable BeginCrossTenantScope(string reason)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(reason);
            _depth++;
            return new Scope(this);
        }

        private sealed class Scope(ContextTenant owner) : IDisposable
        {
            private bool _disposed;

            public void Dispose()
            {
                if (_disposed)
                    return;
                _disposed = true;
                owner._depth--;
            }
        }
    }
}
