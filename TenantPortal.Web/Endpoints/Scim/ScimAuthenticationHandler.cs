using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Scim;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>
/// Authenticates <c>/scim/v2</c> calls by <c>Authorization: Bearer &lt;SCIM token&gt;</c>: the token decides the tenant
/// (the request's current tenant, never a header or the body). It carries the tenant and tier claims the API's rate
/// limiter partitions by, so SCIM calls share the tenant's per-second budget. Failures answer 401 with a SCIM error body.
/// </summary>
public sealed class ScimAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ScimTokenService tokens,
    ITenantContext tenantContext)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ScimToken";

    /// <summary>The policy on the SCIM group.</summary>
    public const string PolicyName = "ScimToken";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <SCIM token>'.");
        var identity = await tokens.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (identity is null)
            return AuthenticateResult.Fail("The SCIM token is unknown or revoked.");

        tenantContext.SetTenant(identity.TenantId);
        ScimCaller.Set(Context, identity);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, identity.ActorUserId),
            new(ClaimTypes.Name, $"SCIM token {identity.Prefix}… ({identity.Name})"),
            new(ApiKeyAuthenticationHandler.TenantClaim, identity.TenantId.ToString()),
            new(ApiKeyAuthenticationHandler.TierClaim, identity.Tier.ToString()),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message
            ?? "A SCIM token is required: send 'Authorization: Bearer <SCIM token>' (created in Settings, Provisioning (SCIM)).";
        await ScimResult.WriteErrorAsync(Context, StatusCodes.Status401Unauthorized, null, failure);
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ScimResult.WriteErrorAsync(Context, StatusCodes.Status403Forbidden, null, "This SCIM token may not do this.");
}
