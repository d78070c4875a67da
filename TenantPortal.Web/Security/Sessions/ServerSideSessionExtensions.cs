using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;

namespace TenantPortal.Web.Security.Sessions;

/// <summary>Registers server-side sessions for Identity's application cookie, and the circuit check that goes with them.</summary>
public static class ServerSideSessionExtensions
{
    /// <summary>Call after Identity's cookies are added: its application cookie gets the ticket store and keeps its events.</summary>
    public static IServiceCollection AddServerSideSessions(this IServiceCollection services)
    {
        services.AddSingleton<PortalTicketStore>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<PortalTicketStore>((options, store) =>
            {
                options.SessionStore = store;
                SessionReissue.Attach(options, store);
                // Identity's security stamp check may rebuild the principal from the user; it keeps naming its session.
                var validate = options.Events.OnValidatePrincipal;
                options.Events.OnValidatePrincipal = async context =>
                {
                    var sessionId = SessionClaims.Id(context.Principal);
                    await validate(context);
                    if (sessionId is not null && context.Principal is { } principal)
                        SessionClaims.Add(principal, sessionId);
                };
            });
        services.AddScoped<CredentialChangeSessions>();
        services.AddScoped<SessionCircuitGuard>();
        services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<SessionCircuitGuard>());
        return services;
    }
}
