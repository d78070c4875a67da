using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using TenantPortal.Web.Endpoints;
using TenantPortal.Web.Endpoints.Management;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Startup;

/// <summary>
/// The API's OpenAPI document at <c>/openapi/v1.json</c> (every <c>/api/v1</c> route, with the API key scheme, the
/// scopes and problem codes of each operation and example bodies) and its browsable reference at <c>/api/docs</c>.
/// </summary>
public static class OpenApiExtensions
{
    /// <summary>The document's name.</summary>
    public const string DocumentName = "v1";

    /// <summary>Where the document is served.</summary>
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Where the browsable reference is served.</summary>
    public const string ReferencePath = "/api/docs";

    private const string SchemeId = "ApiKey";

    /// <summary>Adds the document generator.</summary>
    public static IServiceCollection AddPortalOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "TenantPortal API",
                    Version = "v1",
                    Description = Description,
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "tp_live_…",
                    Description = "A tenant API key (Settings → API keys). The key decides the tenant; its scopes decide what it may do.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                // The JSON body the endpoint reads itself (see JsonBodyMetadata for why it is not Accepts<T>).
                if (metadata.OfType<JsonBodyMetadata>().LastOrDefault() is { } jsonBody)
                {
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(jsonBody.BodyType, null, cancellationToken) },
                        },
                    };
                }
                var scopes = metadata.OfType<AuthorizeAttribute>().Select(a => a.Policy).OfType<string>()
                    .Concat(metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>())
                    .Where(p => p.StartsWith(PortalPolicies.ScopePrefix, StringComparison.Ordinal))
                    .Select(p => p[PortalPolicies.ScopePrefix.Length..]).Distinct().ToList();
                if (!metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = scopes });
                    if (scopes.Count > 0)
                        operation.Description = $"{operation.Description}\n\nScope: `{string.Join("`, `", scopes)}`.".Trim();
                }
                if (metadata.OfType<ApiErrorCodes>().LastOrDefault() is { } codes && operation.Responses is { } responses)
                {
                    foreach (var (status, response) in responses)
                    {
                        if (int.TryParse(status, out var code) && codes.OfStatus(code).ToList() is { Count: > 0 } named && response is OpenApiResponse r)
                            r.Description = $"{r.Description} Problem codes: {string.Join(", ", named)}.".Trim();
                    }
                }
                if (metadata.OfType<ApiExample>().LastOrDefault() is { } example && operation.RequestBody?.Content is { } content)
                {
                    foreach (var media in content.Values.OfType<OpenApiMediaType>())
                        media.Example = JsonNode.Parse(example.Json);
                }
            });
        });

    /// <summary>Maps the document and the reference page; both are public (they describe, they grant nothing).</summary>
    public static IEndpointRouteBuilder MapPortalOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, o => o
            .WithTitle("TenantPortal API")
            // The portal serves everything itself: no fonts from Scalar's CDN (the CSP would refuse them anyway).
            .DisableDefaultFonts()
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddDocument(DocumentName)).AllowAnonymous();
        return app;
    }

    private const string Description = """
        The API of a TenantPortal tenant: report usage and check quotas, and run the team and billing — the same rules
        and audit trail as the portal.

        **Authentication**: `Authorization: Bearer <API key>`. The key decides the tenant (never a header or the body)
        and acts as an Admin of it, limited to its scopes: `usage:write`, `usage:read`, `members:read`, `members:write`,
        `billing:read`, `billing:write` (given only by an Owner), `tenant:write`, `audit:read`, `webhooks:read`,
        `webhooks:write`. Calls are audited as the
        key (name, prefix) and the user who created it. A revoked or unknown key gets 401; a key without the scope 403
        (`missing_scope`); another tenant's ids 404.

        **Errors** are RFC 7807 problem bodies (`application/problem+json`) with a stable `code` and `errors` naming the
        field at fault: 400 malformed, 403 `forbidden`/`missing_scope`/`role_escalation`, 404 `not_found`, 409
        `last_owner`/`seat_limit_reached`/`already_member`/`already_invited`/`downgrade_blocked`/`same_plan`/…, 412
        `precondition_failed` (If-Match), 413 too large, 422 `invalid`, 429 rate limited or quota denied (with Retry-After).

        **Text**: no text field (names, emails, domains, event ids, metrics, filters) may hold a control character
        (U+0000–U+001F, U+007F–U+009F, so no line breaks or tabs) or a bidirectional override or isolate (U+202A–U+202E,
        U+2066–U+2069): 422 `invalid` naming the field (e.g. `events[3].id`), and nothing is stored.

        **Updates**: a GET returns an `ETag`; send it as `If-Match` and the update is refused with 412 when someone
        changed the resource since. **Lists** take `limit` (1–100, default 50) and return `nextCursor`; pass it as
        `cursor` for the next page.
        """;
}
