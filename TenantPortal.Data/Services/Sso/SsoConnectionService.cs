using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Members;
using TenantPortal.Core.Sso;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Entitlements;

namespace TenantPortal.Data.Services.Sso;

/// <summary>
/// The current tenant's single sign-on settings (Admin: <see cref="TenantPermission.ManageIdentity"/>, never an API key).
/// Setting it up or changing it needs the <c>sso</c> entitlement; switching it off never does (a tenant that lost the
/// feature can still turn it off). Every change is audited; the client secret is stored protected and never returned.
/// </summary>
public sealed class SsoConnectionService(
    IDbContextFactory<PortalDbContext> contexts,
    EntitlementService entitlements,
    SsoSecretProtector secrets,
    SsoDiscovery discovery,
    AuditWriter audit,
    TimeProvider time,
    IOptions<SsoOptions> options)
{
    /// <summary>The settings as the Settings section shows them, with the tenant's verified domains and whether SSO is in its plan.</summary>
    public async Task<Result<SsoSettings>> GetAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        return await ReadAsync(db, gate.Value.TenantId, cancellationToken);
    }

    /// <summary>
    /// Sets up or changes the tenant's single sign-on. Refused when the plan does not include <c>sso</c>, for a bad issuer
    /// (https only), an empty client id, no secret the first time, an allowed domain the tenant has not verified, or the
    /// Owner role as default.
    /// </summary>
    public async Task<Result<SsoSettings>> ConfigureAsync(Actor actor, SsoSettingsInput input, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenantId = gate.Value.TenantId;
        var entitled = await RequireEntitledAsync(tenantId, cancellationToken);
        if (!entitled.IsSuccess)
            return entitled.Error;

        var issuer = SsoIssuer.Validate(input.Issuer, options.Value.AllowHttpIssuers);
        if (!issuer.IsSuccess)
            return issuer.Error;
        var clientId = input.ClientId?.Trim() ?? "";
        if (clientId.Length == 0)
            return Error.Invalid("clientId", "Enter the client id your identity provider gave the portal.");
        if (clientId.Length > SsoConnection.ClientIdLength || clientId.Any(char.IsControl))
            return Error.Invalid("clientId", $"The client id must be at most {SsoConnection.ClientIdLength} printable characters.");
        var secret = string.IsNullOrEmpty(input.ClientSecret) ? null : input.ClientSecret;
        if (secret is not null && (secret.Length > SsoConnection.ClientSecretLength || secret.Any(char.IsControl)))
            return Error.Invalid("clientSecret", $"The client secret must be at most {SsoConnection.ClientSecretLength} printable characters.");
        if (input.DefaultRole is not (TenantRole.Viewer or TenantRole.Member or TenantRole.Admin))
            return Error.Invalid("defaultRole", "People joining through single sign-on are Viewers, Members or Admins, never Owners.");
        var verified = await VerifiedDomainsAsync(db, cancellationToken);
        var domains = new List<string>();
        foreach (var entered in input.AllowedDomains ?? [])
        {
            var name = HostNames.Normalize(entered);
            if (name is null)
                return Error.Invalid("allowedDomains", $"'{entered}' is not a domain name.");
            if (!verified.Contains(name, StringComparer.Ordinal))
                return Error.Invalid("allowedDomains", $"{name} is not a verified domain of this workspace. Verify it under Domains first.");
            domains.Add(name);
        }
        if (domains.Count == 0)
            return Error.Invalid("allowedDomains", "Choose at least one verified domain whose people sign in through your identity provider.");

        var connection = await db.SsoConnections.SingleOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow();
        var created = connection is null;
        if (connection is null && secret is null)
            return Error.Invalid("clientSecret", "Enter the client secret your identity provider gave the portal.");
        if (connection is null)
        {
            connection = SsoConnection.Create(tenantId, now);
            db.SsoConnections.Add(connection);
        }
        var before = created ? null : Describe(connection);
        connection.Configure(issuer.Value, clientId, secret is null ? null : secrets.Protect(secret), domains,
            input.DefaultRole, input.RequireSso, input.Enabled, now);
        var after = Describe(connection) + (secret is not null && !created ? "; client secret replaced" : "");
        audit.Record(db, tenantId, actor, input.Enabled ? AuditActions.SsoConfigured : AuditActions.SsoDisabled,
            $"sso:{connection.Id:N}", before is null ? after : $"{before} → {after}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return Error.Conflict("Someone else set up single sign-on for this workspace at the same time. Reload and try again.");
        }
        return await ReadAsync(db, tenantId, cancellationToken);
    }

    /// <summary>Switches single sign-on off (allowed whatever the plan): nobody is sent to the provider, and passwords work again.</summary>
    public async Task<Result<SsoSettings>> DisableAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var connection = await db.SsoConnections.SingleOrDefaultAsync(cancellationToken);
        if (connection is null)
            return Error.NotFound("Single sign-on is not set up for this workspace.");
        if (connection.Disable(time.GetUtcNow()))
        {
            audit.Record(db, gate.Value.TenantId, actor, AuditActions.SsoDisabled, $"sso:{connection.Id:N}", Describe(connection));
            await db.SaveChangesAsync(cancellationToken);
        }
        return await ReadAsync(db, gate.Value.TenantId, cancellationToken);
    }

    /// <summary>
    /// Reads the discovery document of <paramref name="issuer"/> (the one entered, or the stored one when null) and says
    /// what it found. Reads only; needs the <c>sso</c> entitlement like setting it up.
    /// </summary>
    public async Task<Result<SsoDiscoveryReport>> TestAsync(Actor actor, string? issuer, CancellationToken cancellationToken)
    {
        string target;
        await using (var db = contexts.CreateDbContext())
        {
            var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
            if (!gate.IsSuccess)
                return gate.Error;
            var entitled = await RequireEntitledAsync(gate.Value.TenantId, cancellationToken);
            if (!entitled.IsSuccess)
                return entitled.Error;
            var stored = await db.SsoConnections.AsNoTracking().Select(c => c.Issuer).SingleOrDefaultAsync(cancellationToken);
            var valid = SsoIssuer.Validate(string.IsNullOrWhiteSpace(issuer) ? stored : issuer, options.Value.AllowHttpIssuers);
            if (!valid.IsSuccess)
                return valid.Error;
            target = valid.Value;
        }
        return await discovery.ReadAsync(target, cancellationToken);
    }

    private Task<Result> RequireEntitledAsync(Guid tenantId, CancellationToken cancellationToken) =>
        entitlements.RequireAsync(tenantId, EntitlementFeatures.Sso, "Single sign-on", cancellationToken);

    private async Task<SsoSettings> ReadAsync(PortalDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var tier = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Tier).SingleAsync(cancellationToken);
        var entitlement = await entitlements.CheckAsync(tenantId, EntitlementFeatures.Sso, cancellationToken);
        var verified = await VerifiedDomainsAsync(db, cancellationToken);
        var connection = await db.SsoConnections.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var entitled = entitlement.IsSuccess && entitlement.Value.Enabled;
        return connection is null
            ? new SsoSettings(entitled, tier, false, null, "", "", false, [], TenantRole.Member, false, false, verified)
            : new SsoSettings(entitled, tier, true, connection.Id, connection.Issuer, connection.ClientId, connection.ProtectedClientSecret.Length > 0,
                connection.Domains, connection.DefaultRole, connection.RequireSso, connection.Enabled, verified);
    }

    private static async Task<List<string>> VerifiedDomainsAsync(PortalDbContext db, CancellationToken cancellationToken) =>
        (await db.TenantDomains.AsNoTracking().Where(d => d.VerifiedAt != null).Select(d => d.Name).ToListAsync(cancellationToken))
        .Order(StringComparer.Ordinal).ToList();

    // For the audit: everything but the secret.
    private static string Describe(SsoConnection c) =>
        $"{(c.Enabled ? "on" : "off")}, issuer {c.Issuer}, client {c.ClientId}, domains {string.Join(' ', c.Domains)}, joins as {c.DefaultRole}, require SSO {(c.RequireSso ? "on" : "off")}";
}
