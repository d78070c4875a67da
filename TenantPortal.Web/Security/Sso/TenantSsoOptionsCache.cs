using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Sso;

namespace TenantPortal.Web.Security.Sso;

/// <summary>
/// Builds the OpenID Connect options of one tenant's connection and keeps them per instance, keyed by the connection's
/// version (which moves with every change, on whichever instance made it, so a change applies everywhere on the next
/// request). Provider metadata and signing keys are fetched by one <see cref="ConfigurationManager{T}"/> per issuer.
/// </summary>
public sealed class TenantSsoOptionsCache(
    IDataProtectionProvider dataProtection,
    IHttpClientFactory clients,
    IOptions<SsoOptions> ssoOptions,
    ILogger<TenantSsoOptionsCache> logger)
{
    private readonly ConcurrentDictionary<Guid, (int Version, OpenIdConnectOptions Options)> _options = new();
    private readonly ConcurrentDictionary<string, IConfigurationManager<OpenIdConnectConfiguration>> _metadata = new(StringComparer.Ordinal);

    /// <summary>The options of <paramref name="client"/>, built once per version.</summary>
    public OpenIdConnectOptions For(SsoClient client)
    {
        if (_options.TryGetValue(client.ConnectionId, out var cached) && cached.Version == client.Version)
            return cached.Options;
        var built = Build(client);
        _options[client.ConnectionId] = (client.Version, built);
        return built;
    }

    private OpenIdConnectOptions Build(SsoClient client)
    {
        var requireHttps = !ssoOptions.Value.AllowHttpIssuers;
        var backchannel = clients.CreateClient(SsoIssuer.HttpClientName);
        var metadataAddress = SsoIssuer.DiscoveryDocument(client.Issuer).ToString();
        var options = new OpenIdConnectOptions
        {
            SignInScheme = IdentityConstants.ExternalScheme,
            Authority = client.Issuer,
            MetadataAddress = metadataAddress,
            RequireHttpsMetadata = requireHttps,
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            // Authorization code with PKCE, answered in the query (a top-level GET back to the portal, so the correlation
            // and nonce cookies can be SameSite=Lax); no tokens kept: the portal only needs who signed in.
            ResponseType = OpenIdConnectResponseType.Code,
            ResponseMode = OpenIdConnectResponseMode.Query,
            UsePkce = true,
            SaveTokens = false,
            GetClaimsFromUserInfoEndpoint = true,
            MapInboundClaims = false,
            CallbackPath = TenantSso.CallbackPath(client.ConnectionId),
            // Paths of this connection only, so no other request is taken for a sign-out of it.
            SignedOutCallbackPath = $"/signout-callback-oidc/{client.ConnectionId:N}",
            RemoteSignOutPath = $"/signout-oidc/{client.ConnectionId:N}",
            Backchannel = backchannel,
            ConfigurationManager = _metadata.GetOrAdd($"{requireHttps}|{metadataAddress}", _ =>
                new ConfigurationManager<OpenIdConnectConfiguration>(metadataAddress, new OpenIdConnectConfigurationRetriever(),
                    new HttpDocumentRetriever(backchannel) { RequireHttps = requireHttps })),
            Events = EventsFor(client.ConnectionId),
        };
        options.Scope.Clear();
        options.Scope.Add("openid");
        options.Scope.Add("email");
        options.Scope.Add("profile");
        // Tokens must come from the issuer configured, not whatever the discovery document names (the handler would add
        // that one to the valid issuers), and be for this client.
        var issuer = client.Issuer;
        options.TokenValidationParameters.ValidIssuers = SsoIssuer.Accepted(issuer);
        options.TokenValidationParameters.ValidateIssuer = true;
        options.TokenValidationParameters.IssuerValidator = (found, _, _) => SsoIssuer.Matches(issuer, found)
            ? found
            : throw new Microsoft.IdentityModel.Tokens.SecurityTokenInvalidIssuerException($"The token's issuer is not {issuer}.") { InvalidIssuer = found };
        options.TokenValidationParameters.ValidAudience = client.ClientId;
        options.TokenValidationParameters.ValidateAudience = true;
        // Behind the TLS proxy (forwarded headers) the request is https and the cookies are Secure; Lax suits a query answer.
        foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        }
        new OpenIdConnectPostConfigureOptions(dataProtection).PostConfigure(TenantSso.Scheme, options);
        options.Validate(TenantSso.Scheme);
        return options;
    }

    private OpenIdConnectEvents EventsFor(Guid connectionId) => new()
    {
        OnRedirectToIdentityProvider = context =>
        {
            if (context.Properties.Items.TryGetValue(TenantSso.LoginHintItem, out var hint) && !string.IsNullOrEmpty(hint))
                context.ProtocolMessage.LoginHint = hint;
            return Task.CompletedTask;
        },
        OnTicketReceived = context =>
        {
            // The state was made for this connection: a sign-in begun for one tenant can't finish on another's callback.
            if (context.Properties?.Items.TryGetValue(TenantSso.ConnectionItem, out var named) != true || named != connectionId.ToString("N"))
            {
                context.Fail("The sign-in was begun for another single sign-on connection.");
                return Task.CompletedTask;
            }
            if (context.Principal?.Identity is ClaimsIdentity identity)
                identity.AddClaim(new Claim(TenantSso.ConnectionClaim, connectionId.ToString("N")));
            return Task.CompletedTask;
        },
        OnAccessDenied = context =>
        {
            context.Response.Redirect(LoginWith(SsoErrors.Denied));
            context.HandleResponse();
            return Task.CompletedTask;
        },
        OnRemoteFailure = context =>
        {
            logger.LogWarning(context.Failure, "Single sign-on through connection {ConnectionId} failed", connectionId);
            context.Response.Redirect(LoginWith(context.Failure?.Message.Contains("access_denied", StringComparison.Ordinal) == true
                ? SsoErrors.Denied : SsoErrors.Failed));
            context.HandleResponse();
            return Task.CompletedTask;
        },
    };

    /// <summary>The log-in page with an error code.</summary>
    public static string LoginWith(string code) => $"/Account/Login?{SsoErrors.QueryKey}={Uri.EscapeDataString(code)}";
}
