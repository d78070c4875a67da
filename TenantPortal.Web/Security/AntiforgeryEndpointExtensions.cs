using Microsoft.AspNetCore.Antiforgery;

namespace TenantPortal.Web.Security;

/// <summary>Antiforgery for minimal-API endpoints that take no form fields.</summary>
public static class AntiforgeryEndpointExtensions
{
    /// <summary>Marks the endpoint as needing a valid token (the middleware validates it) and refuses it without one.</summary>
    public static TBuilder RequireAntiforgery<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new RequireAntiforgeryTokenAttribute());
        builder.AddEndpointFilter(new AntiforgeryValidationFilter());
        return builder;
    }
}
