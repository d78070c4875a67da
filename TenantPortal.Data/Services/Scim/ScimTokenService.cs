using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Scim;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Entitlements;
using TenantPortal.Data.Services.Tenants;

namespace TenantPortal.Data.Services.Scim;

/// <summary>
/// The SCIM tokens of the current tenant (ManageIdentity: Admin) and their authentication. A token is <c>tp_scim_</c>
/// plus 256 random bits, hashed like an API key (<see cref="SecretHasher"/>). Creating one needs the <c>scim</c>
/// entitlement; listing and revoking do not, so that a tenant that lost it can still see and revoke its tokens.
/// </summary>
public sealed class ScimTokenService(IDbContextFactory<PortalDbContext> contexts, AuditWriter audit, EntitlementService entitlements, IPortalAddresses addresses,
    TimeProvider time)
{
    /// <summary>The path of the SCIM endpoints, under the portal's public URL.</summary>
    public const string BasePath = "/scim/v2";

    // LastUsedAt is written at most this often per token.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>The base URL a directory is configured with: <c>{Portal:PublicUrl}/scim/v2</c>.</summary>
    public Uri BaseUrl => addresses.Link(BasePath);

    /// <summary>The tokens, newest first, revoked ones included (Admin).</summary>
    public async Task<Result<IReadOnlyList<ScimTokenRow>>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tokens = await db.ScimTokens.AsNoTracking().ToListAsync(cancellationToken);
        return tokens.OrderByDescending(t => t.CreatedAt)
            .Select(t => new ScimTokenRow(t.Id, t.Name, t.Prefix, t.CreatedAt, t.LastUsedAt, t.RevokedAt)).ToList();
    }

    /// <summary>Creates a named token (Admin, <c>scim</c> entitlement) and returns its secret, shown once, with the base URL.</summary>
    public async Task<Result<CreatedScimToken>> CreateAsync(Actor actor, string? name, CancellationToken cancellationToken)
    {
        var validName = TenantInput.Name(name);
        if (!validName.IsSuccess)
            return validName.Error;
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var entitled = await entitlements.RequireAsync(gate.Value.TenantId, EntitlementFeatures.Scim, Feature, cancellationToken);
        if (!entitled.IsSuccess)
            return entitled.Error;
        var secret = ScimToken.SecretPrefix + SecretHasher.NewToken();
        var token = new ScimToken
        {
            TenantId = gate.Value.TenantId,
            Name = validName.Value,
            Prefix = secret[..ScimToken.PrefixLength],
            SecretHash = SecretHasher.Sha256Hex(secret),
            CreatedAt = time.GetUtcNow(),
            CreatedByUserId = actor.UserId,
        };
        db.ScimTokens.Add(token);
        audit.Record(db, token.TenantId, actor, AuditActions.ScimTokenCreated, $"scim_token:{token.Prefix}", token.Name);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedScimToken(token.Id, token.Name, token.Prefix, secret, BaseUrl);
    }

    /// <summary>Revokes a token (Admin): it authenticates nothing from now on.</summary>
    public async Task<Result> RevokeAsync(Actor actor, Guid tokenId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var token = await db.ScimTokens.SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token is null)
            return Error.NotFound("That SCIM token was not found.");
        if (token.RevokedAt is not null)
            return Result.Success();
        token.RevokedAt = time.GetUtcNow();
        audit.Record(db, token.TenantId, actor, AuditActions.ScimTokenRevoked, $"scim_token:{token.Prefix}", token.Name);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }

    /// <summary>
    /// The live token a request presents, or null (unknown, malformed or revoked). Cross-tenant by design: the token
    /// tells the tenant. Looked up by prefix, then the hash compared in constant time; no cache (directories call rarely,
    /// and a revoked token must stop at once). The entitlement is checked by the SCIM services, per call.
    /// </summary>
    public async Task<ScimTokenIdentity?> AuthenticateAsync(string? presented, CancellationToken cancellationToken)
    {
        if (presented is null || presented.Length < ScimToken.PrefixLength || presented.Length > 200
            || !presented.StartsWith(ScimToken.SecretPrefix, StringComparison.Ordinal))
            return null;
        var hash = SecretHasher.Sha256Hex(presented);
        var prefix = presented[..ScimToken.PrefixLength];
        await using var db = contexts.CreateDbContext();
        using (db.BeginCrossTenantScope("authenticating a SCIM token: the token tells the tenant"))
        {
            var match = await db.ScimTokens.AsNoTracking()
                .Where(t => t.Prefix == prefix && t.RevokedAt == null)
                .Join(db.Tenants, t => t.TenantId, tenant => tenant.Id, (t, tenant) => new { Token = t, tenant.Tier })
                .SingleOrDefaultAsync(cancellationToken);
            if (match is null || !SecretHasher.FixedTimeEquals(match.Token.SecretHash, hash))
                return null;
            var now = time.GetUtcNow();
            if (match.Token.LastUsedAt is null || now - match.Token.LastUsedAt >= LastUsedResolution)
                await db.ScimTokens.Where(t => t.Id == match.Token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
            return new ScimTokenIdentity(match.Token.Id, match.Token.TenantId, match.Tier, match.Token.Name, match.Token.Prefix);
        }
    }

    /// <summary>Whether the token's tenant may use SCIM now (the discovery documents ask; the user and group services check on every call).</summary>
    public Task<Result> CheckEntitledAsync(ScimTokenIdentity token, CancellationToken cancellationToken) =>
        entitlements.RequireAsync(token.TenantId, EntitlementFeatures.Scim, Feature, cancellationToken);

    /// <summary>What the refusal of a tenant whose plan lacks SCIM names (<see cref="EntitlementService.RequireAsync"/>).</summary>
    internal const string Feature = "SCIM provisioning";
}
