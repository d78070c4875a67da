using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.ApiKeys;

namespace TenantPortal.Web.Security;

/// <summary>
/// Authenticates <c>/api/v1</c> calls by <c>Authorization: Bearer &lt;API key&gt;</c>. The key decides the tenant:
/// it becomes the request's current tenant, never a header or the body.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys,
    ITenantContext tenantContext)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>Claim with the tenant id.</summary>
    public const string TenantClaim = "tenant_id";

    /// <summary>Claim with the key id.</summary>
    public const string KeyClaim = "api_key_id";

    /// <summary>Claim with the tenant's tier (rate limits per tier).</summary>
    public const string TierClaim = "tenant_tier";

    /// <summary>One claim per scope.</summary>
    public const string ScopeClaim = "scope";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <API key>'.");
        var identity = await keys.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (identity is null)
            return AuthenticateResult.Fail("The API key is unknown or revoked.");

        tenantContext.SetTenant(identity.TenantId);
        Endpoints.Management.ApiCaller.Set(Context, identity);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, $"api_key:{identity.KeyId}"),
            new(ClaimTypes.Name, $"API key {identity.Prefix}… ({identity.Name})"),
            new(TenantClaim, identity.TenantId.ToString()),
            new(KeyClaim, identity.KeyId.ToString()),
            new(TierClaim, identity.Tier.ToString()),
        };
        claims.AddRange(identity.Scopes.Select(s => new Claim(ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message ?? "An API key is required: send 'Authorization: Bearer <API key>'.";
        await Results.Problem(statusCode: 401, title: "Unauthorized", detail: failure).ExecuteAsync(Context);
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(statusCode: 403, title: "Forbidden", detail: "The API key does not have the scope this call needs.",
            extensions: new Dictionary<string, object?> { ["code"] = Core.Common.ErrorCodes.MissingScope }).ExecuteAsync(Context);
}
