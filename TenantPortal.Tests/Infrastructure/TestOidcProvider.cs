using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server) in the test process, on a loopback Kestrel port over http:
/// ephemeral keys, authorization code with PKCE required, token and userinfo endpoints, clients registered by the test.
/// Its authorization endpoint has no UI: it signs in whoever <see cref="Identify"/> names for the request's
/// <c>login_hint</c>. <see cref="IdentityTokenAudience"/> makes it issue identity tokens for another client.
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    /// <summary>Who the provider signs in.</summary>
    public sealed record Person(string Subject, string Email, bool? EmailVerified = true);

    private readonly ConcurrentDictionary<string, (string Secret, string RedirectUri)> _clients = new(StringComparer.Ordinal);
    private WebApplication _app = default!;

    private TestOidcProvider(Uri issuer) => Issuer = issuer;

    /// <summary>The issuer, e.g. <c>http://127.0.0.1:41234/</c>; tokens carry it.</summary>
    public Uri Issuer { get; }

    /// <summary>The same server under another name (<c>localhost</c>): its tokens still carry <see cref="Issuer"/>.</summary>
    public Uri OtherName => new($"http://localhost:{Issuer.Port}/");

    /// <summary>Who signs in for a <c>login_hint</c>; by default the hinted email itself (verified), its subject derived from it.</summary>
    public Func<string?, Person> Identify { get; set; } = hint => new Person($"sub-{hint}", hint ?? "nobody@nowhere.test");

    /// <summary>When set, identity tokens are issued for this audience instead of the requesting client.</summary>
    public string? IdentityTokenAudience { get; set; }

    /// <summary>How many authorization requests it answered.</summary>
    public int Authorizations;

    /// <summary>Registers a confidential client with one redirect URI.</summary>
    public void Register(string clientId, string secret, Uri redirectUri) => _clients[clientId] = (secret, redirectUri.ToString());

    /// <summary>Starts the provider on a free loopback port.</summary>
    public static async Task<TestOidcProvider> StartAsync()
    {
        var port = FreePort();
        var provider = new TestOidcProvider(new Uri($"http://127.0.0.1:{port}/"));
        await provider.RunAsync(port);
        return provider;
    }

    private async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetIssuer(Issuer);
            options.SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .SetUserInfoEndpointUris("connect/userinfo");
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            options.RegisterScopes(Scopes.Email, Scopes.Profile);
            options.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
            // No stores: the test validates clients itself.
            options.EnableDegradedMode();
            options.UseAspNetCore().DisableTransportSecurityRequirement();

            options.AddEventHandler<ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId is null || !_clients.TryGetValue(context.ClientId, out var client))
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                else if (!string.Equals(context.RedirectUri, client.RedirectUri, StringComparison.Ordinal))
                    context.Reject(Errors.InvalidRequest, "The redirect_uri is not registered for this client.");
                return default;
            }));
            options.AddEventHandler<ValidateTokenRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.Request.ClientId is not { } id || !_clients.TryGetValue(id, out var client) || context.Request.ClientSecret != client.Secret)
                    context.Reject(Errors.InvalidClient, "Bad client credentials.");
                return default;
            }));
            options.AddEventHandler<HandleAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
            {
                Interlocked.Increment(ref Authorizations);
                var person = Identify(context.Request.LoginHint);
                var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
                identity.AddClaim(new Claim(Claims.Subject, person.Subject));
                identity.AddClaim(new Claim(Claims.Email, person.Email));
                identity.AddClaim(new Claim(Claims.Name, person.Email));
                if (person.EmailVerified is { } verified)
                    identity.AddClaim(new Claim(Claims.EmailVerified, verified ? "true" : "false", ClaimValueTypes.Boolean));
                identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
                var principal = new ClaimsPrincipal(identity);
                principal.SetScopes(context.Request.GetScopes());
                context.SignIn(principal);
                return default;
            }));
            options.AddEventHandler<ProcessSignInContext>(b => b.UseInlineHandler(context =>
            {
                if (IdentityTokenAudience is { } audience && context.IdentityTokenPrincipal is { } principal)
                    principal.SetAudiences(audience);
                return default;
            }).SetOrder(OpenIddictServerHandlers.PrepareIdentityTokenPrincipal.Descriptor.Order + 1));
        });
        _app = builder.Build();
        await _app.StartAsync();
        // The first answer builds the server's keys and handlers, slow on a busy machine: done here, before a test's own
        // (shorter) timeouts start counting.
        using var warmUp = new HttpClient { Timeout = TestTimeouts.Generous };
        (await warmUp.GetAsync(new Uri(Issuer, ".well-known/openid-configuration"), TestTimeouts.Token())).EnsureSuccessStatusCode();
        (await warmUp.GetAsync(new Uri(Issuer, ".well-known/jwks"), TestTimeouts.Token())).EnsureSuccessStatusCode();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
