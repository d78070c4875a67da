using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace TenantPortal.Web.Security;

/// <summary>The HTTP side of the hardening: headers, HSTS, cookies, body limits, production error bodies.</summary>
public static class HttpHardeningExtensions
{
    /// <summary>Registers the options, cookie policies, Kestrel's body limit and the API's exception handler.</summary>
    public static IHostApplicationBuilder AddHttpHardening(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SecurityHeadersOptions>().BindConfiguration(SecurityHeadersOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        var headers = builder.Configuration.GetSection(SecurityHeadersOptions.SectionName).Get<SecurityHeadersOptions>() ?? new();
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(headers.HstsMaxAgeDays);
            o.IncludeSubDomains = headers.HstsIncludeSubDomains;
        });

        // Secure on every HTTPS response. Plain HTTP reaches the portal only in Development or, elsewhere, as a local try
        // (HttpsRequirementMiddleware refuses any other plain-HTTP request before a cookie is made): a Secure cookie set
        // over HTTP would never come back, so there it goes without the flag (and Always would make antiforgery throw).
        const CookieSecurePolicy secure = CookieSecurePolicy.SameAsRequest;
        // Every cookie scheme (Identity's application, external and two-factor cookies): out of reach of scripts, and
        // Lax rather than Strict so that a link from an invitation or reset email opens the portal signed in.
        services.PostConfigureAll<CookieAuthenticationOptions>(o =>
        {
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = secure;
        });
        // The antiforgery cookie is only needed by same-site form posts: Strict (its default).
        services.AddAntiforgery(o =>
        {
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
        });

        services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = RequestBodyLimits.DefaultBytes;
            // No "Server: Kestrel": the software and its version are nobody's business.
            o.AddServerHeader = false;
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        // After the API's handler: what it declines (pages) is re-executed on /Error, as a GET.
        services.AddExceptionHandler<ErrorPageExceptionHandler>();
        return builder;
    }

    /// <summary>
    /// The headers on every response, the host rules, the HTTPS requirement and the API's body limits; first in the
    /// pipeline after the trusted proxies' forwarded headers (which never touch the Host).
    /// </summary>
    public static IApplicationBuilder UseHttpHardening(this IApplicationBuilder app) =>
        app.UseMiddleware<SecurityHeadersMiddleware>()
            .UseMiddleware<PortalHostMiddleware>()
            .UseMiddleware<HttpsRequirementMiddleware>()
            .UseMiddleware<RequestBodyLimitMiddleware>();
}
