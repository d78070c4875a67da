using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace TenantPortal.Web.Security.Sso;

/// <summary>
/// The two browser steps of single sign-on around the provider: <c>GET /Account/Sso/{connection}</c> (from the log-in
/// page) sends the person to the tenant's provider; <c>GET /Account/SsoComplete</c> (where the handler lands after the
/// callback) makes the portal session. Browser navigation only: not part of the API's OpenAPI document.
/// </summary>
public static class TenantSsoEndpoints
{
    /// <summary>Maps both steps.</summary>
    public static IEndpointRouteBuilder MapTenantSso(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").ExcludeFromDescription();
        group.MapGet(TenantSso.StartPrefix + "{connection}", Start);
        group.MapGet(TenantSso.CompletePath, CompleteAsync);
        return app;
    }

    private static Results<ChallengeHttpResult, RedirectHttpResult> Start(
        string connection, [FromQuery] string? returnUrl, [FromQuery] string? email, TenantSsoRequest request)
    {
        if (request.Client is not { } client)
            return TypedResults.Redirect(TenantSsoOptionsCache.LoginWith(SsoErrors.Unavailable));
        var complete = QueryString.Create("returnUrl", LocalReturnUrl.For(returnUrl));
        var properties = new AuthenticationProperties { RedirectUri = TenantSso.CompletePath + complete };
        properties.Items[TenantSso.ConnectionItem] = client.ConnectionId.ToString("N");
        if (!string.IsNullOrWhiteSpace(email) && email.Length <= Core.Common.FieldLengths.Email)
            properties.Items[TenantSso.LoginHintItem] = email.Trim();
        return TypedResults.Challenge(properties, [TenantSso.Scheme]);
    }

    private static async Task<RedirectHttpResult> CompleteAsync(HttpContext context, [FromQuery] string? returnUrl, SsoSignIn signIn, CancellationToken cancellationToken) =>
        TypedResults.Redirect(await signIn.CompleteAsync(context, returnUrl, cancellationToken));
}
