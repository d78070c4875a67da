namespace TenantPortal.Web.Endpoints;

/// <summary>
/// Marks an <c>/api/v1</c> endpoint that reads a JSON body of <see cref="BodyType"/> (strictly, by itself): the OpenAPI
/// document describes the body from it, and <see cref="JsonBodyEndpointExtensions.AcceptsJson{T}"/> refuses another
/// Content-Type with a 415 problem. Deliberately not <c>IAcceptsMetadata</c> (<c>.Accepts&lt;T&gt;()</c>): routing
/// would then answer a wrong Content-Type itself, with an empty 415, or a 405 with a wrong <c>Allow</c> when the route
/// has other methods.
/// </summary>
/// <param name="BodyType">The type that documents the body.</param>
public sealed record JsonBodyMetadata(Type BodyType);
