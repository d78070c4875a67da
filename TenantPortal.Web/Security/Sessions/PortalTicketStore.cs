using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TenantPortal.Data.Services.Sessions;

namespace TenantPortal.Web.Security.Sessions;

/// <summary>
/// Identity's application cookie keeps its ticket on the server (<see cref="CookieAuthenticationOptions.SessionStore"/>):
/// the cookie carries only a session id, and the ticket (serialized, protected with Data Protection) sits in an
/// <see cref="IUserSessionStore"/>. Ending the session there ends every copy of the cookie, on every instance.
/// </summary>
public sealed class PortalTicketStore(
    IServiceScopeFactory scopes,
    IDataProtectionProvider dataProtection,
    IOptions<IdentityOptions> identity,
    TimeProvider time,
    ILogger<PortalTicketStore> logger) : ITicketStore
{
    /// <summary>The Data Protection purpose of stored tickets.</summary>
    public const string Purpose = "TenantPortal.UserSessions.Ticket.v1";

    // A ticket without an expiry (the cookie handler always sets one) is kept as long as Identity's cookie lasts.
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(14);

    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);

    /// <inheritdoc />
    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreCoreAsync(ticket, null, CancellationToken.None);

    /// <inheritdoc />
    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) => StoreCoreAsync(ticket, null, cancellationToken);

    /// <inheritdoc />
    public Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken) =>
        StoreCoreAsync(ticket, httpContext, cancellationToken);

    /// <inheritdoc />
    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewCoreAsync(key, ticket, null, CancellationToken.None);

    /// <inheritdoc />
    public Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken) => RenewCoreAsync(key, ticket, null, cancellationToken);

    /// <inheritdoc />
    public Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken) =>
        RenewCoreAsync(key, ticket, httpContext, cancellationToken);

    /// <inheritdoc />
    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveCoreAsync(key, null, CancellationToken.None);

    /// <inheritdoc />
    public Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken) => RetrieveCoreAsync(key, null, cancellationToken);

    /// <inheritdoc />
    public Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken) =>
        RetrieveCoreAsync(key, httpContext, cancellationToken);

    /// <inheritdoc />
    public Task RemoveAsync(string key) => RemoveCoreAsync(key, null, CancellationToken.None);

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken cancellationToken) => RemoveCoreAsync(key, null, cancellationToken);

    /// <inheritdoc />
    public Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken) =>
        RemoveCoreAsync(key, httpContext, cancellationToken);

    private Task<string> StoreCoreAsync(AuthenticationTicket ticket, HttpContext? httpContext, CancellationToken cancellationToken) =>
        WithStoreAsync(httpContext, store => store.CreateAsync(
            new UserSessionStart(UserId(ticket), Protect(ticket), ExpiresAt(ticket), ClientIp(httpContext), httpContext?.Request.Headers.UserAgent.ToString()),
            cancellationToken));

    private Task RenewCoreAsync(string key, AuthenticationTicket ticket, HttpContext? httpContext, CancellationToken cancellationToken) =>
        WithStoreAsync(httpContext, async store =>
        {
            var renewed = await store.RenewAsync(key, UserId(ticket), Protect(ticket), ExpiresAt(ticket), cancellationToken);
            // The cookie handler renews the request's session when someone signs in on a browser that is signed in
            // already. A session that ended meanwhile, or someone else's, is not taken over: the sign-in gets a new one.
            if (!renewed && httpContext is not null && SessionReissue.IsSigningIn(httpContext))
                SessionReissue.Request(httpContext, ticket);
            return renewed;
        });

    private Task<AuthenticationTicket?> RetrieveCoreAsync(string key, HttpContext? httpContext, CancellationToken cancellationToken) =>
        WithStoreAsync(httpContext, async store =>
        {
            var stored = await store.FindTicketAsync(key, ClientIp(httpContext), cancellationToken);
            if (stored is null)
                return null;
            AuthenticationTicket? ticket;
            try
            {
                ticket = TicketSerializer.Default.Deserialize(_protector.Unprotect(stored));
            }
            catch (CryptographicException ex)
            {
                // The key that protected it is gone (a key ring lost, a certificate not carried over): the user signs in again.
                logger.LogWarning(ex, "A stored session could not be unprotected; it counts as signed out");
                return null;
            }
            if (ticket is not null)
                SessionClaims.Add(ticket.Principal, key);
            return ticket;
        });

    private Task RemoveCoreAsync(string key, HttpContext? httpContext, CancellationToken cancellationToken) =>
        WithStoreAsync(httpContext, store => store.RevokeAsync(key, null, cancellationToken));

    private byte[] Protect(AuthenticationTicket ticket)
    {
        // The session claim is added when a ticket is read; it is never stored with it.
        var principal = new ClaimsPrincipal(ticket.Principal.Identities.Select(i =>
        {
            var copy = i.Clone();
            foreach (var claim in copy.FindAll(SessionClaims.SessionId).ToList())
                copy.TryRemoveClaim(claim);
            return copy;
        }));
        return _protector.Protect(TicketSerializer.Default.Serialize(new AuthenticationTicket(principal, ticket.Properties, ticket.AuthenticationScheme)));
    }

    private string UserId(AuthenticationTicket ticket) =>
        ticket.Principal.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType)
        ?? throw new InvalidOperationException("A sign-in ticket without a user id can't be kept as a session.");

    private DateTimeOffset ExpiresAt(AuthenticationTicket ticket) => ticket.Properties.ExpiresUtc ?? time.GetUtcNow().Add(DefaultLifetime);

    private static string? ClientIp(HttpContext? httpContext) => httpContext?.Connection.RemoteIpAddress?.ToString();

    // The request's own scope when there is a request (its store and contexts), else one of our own.
    private async Task<T> WithStoreAsync<T>(HttpContext? httpContext, Func<IUserSessionStore, Task<T>> work)
    {
        if (httpContext?.RequestServices is { } requestServices)
            return await work(requestServices.GetRequiredService<IUserSessionStore>());
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<IUserSessionStore>());
    }
}
