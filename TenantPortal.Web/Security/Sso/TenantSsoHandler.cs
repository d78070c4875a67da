using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace TenantPortal.Web.Security.Sso;

/// <summary>
/// The OpenID Connect handler of <see cref="TenantSso.Scheme"/>, with the options of the tenant the request names
/// (<see cref="TenantSsoOptionsMonitor"/>). A request that names no usable connection is not handled, and a challenge
/// without one goes back to the log-in page with a message instead of failing.
/// </summary>
public sealed class TenantSsoHandler(TenantSsoOptionsMonitor options, TenantSsoRequest request, ILoggerFactory logger, HtmlEncoder htmlEncoder, UrlEncoder encoder)
    : OpenIdConnectHandler(options, logger, htmlEncoder, encoder)
{
    /// <inheritdoc />
    public override Task<bool> HandleRequestAsync()
    {
        if (request.Client is not null)
            return base.HandleRequestAsync();
        if (request.Named && Request.Path.StartsWithSegments(TenantSso.CallbackPrefix.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
        {
            // A callback of a connection that is gone, off or no longer in the plan.
            Response.Redirect(TenantSsoOptionsCache.LoginWith(SsoErrors.Unavailable));
            return Task.FromResult(true);
        }
        return Task.FromResult(false);
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (request.Client is not null)
            return base.HandleChallengeAsync(properties);
        Response.Redirect(TenantSsoOptionsCache.LoginWith(SsoErrors.Unavailable));
        return Task.CompletedTask;
    }
}
