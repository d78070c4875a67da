using System.Text.Json.Nodes;
using TenantPortal.Data.Services.Scim;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>
/// The discovery documents (RFC 7644 §4): what this service provider supports, true to what is built: PATCH yes,
/// filter yes (one attribute, <c>eq</c>; <see cref="ScimUserService.MaxResults"/> results a page), bulk, sort,
/// change password and ETags no; a bearer token for authentication.
/// </summary>
public static class ScimDiscovery
{
    /// <summary>The service provider configuration.</summary>
    public static JsonObject ServiceProviderConfig(Uri baseUrl) => new()
    {
        ["schemas"] = new JsonArray(ScimSchemas.ServiceProviderConfig),
        ["documentationUri"] = new Uri(baseUrl, "/api/docs").AbsoluteUri,
        ["patch"] = new JsonObject { ["supported"] = true },
        ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
        ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = ScimUserService.MaxResults },
        ["changePassword"] = new JsonObject { ["supported"] = false },
        ["sort"] = new JsonObject { ["supported"] = false },
        ["etag"] = new JsonObject { ["supported"] = false },
        ["authenticationSchemes"] = new JsonArray(new JsonObject
        {
            ["type"] = "oauthbearertoken",
            ["name"] = "SCIM token",
            ["description"] = "A tenant SCIM token, created in Settings, Provisioning (SCIM): Authorization: Bearer <token>.",
            ["primary"] = true,
        }),
        ["meta"] = Meta("ServiceProviderConfig", new Uri(baseUrl + "/ServiceProviderConfig")),
    };

    /// <summary>The resource types: User and Group.</summary>
    public static JsonArray ResourceTypes(Uri baseUrl) => new(ResourceType(baseUrl, "User", "/Users", ScimSchemas.User), ResourceType(baseUrl, "Group", "/Groups", ScimSchemas.Group));

    /// <summary>One resource type by name (User or Group), or null.</summary>
    public static JsonObject? ResourceTypeNamed(Uri baseUrl, string name) =>
        ResourceTypes(baseUrl).OfType<JsonObject>().FirstOrDefault(t => string.Equals((string?)t["id"], name, StringComparison.OrdinalIgnoreCase))?.DeepClone() as JsonObject;

    /// <summary>The schemas: User and Group, with the attributes the service keeps.</summary>
    public static JsonArray Schemas(Uri baseUrl) => new(UserSchema(baseUrl), GroupSchema(baseUrl));

    /// <summary>One schema by its URN, or null.</summary>
    public static JsonObject? SchemaNamed(Uri baseUrl, string urn) =>
        Schemas(baseUrl).OfType<JsonObject>().FirstOrDefault(s => string.Equals((string?)s["id"], urn, StringComparison.OrdinalIgnoreCase))?.DeepClone() as JsonObject;

    /// <summary>A list response of <paramref name="resources"/>, all on one page.</summary>
    public static JsonObject List(JsonArray resources) => new()
    {
        ["schemas"] = new JsonArray(ScimSchemas.ListResponse),
        ["totalResults"] = resources.Count,
        ["startIndex"] = 1,
        ["itemsPerPage"] = resources.Count,
        ["Resources"] = resources,
    };

    private static JsonObject ResourceType(Uri baseUrl, string name, string endpoint, string schema) => new()
    {
        ["schemas"] = new JsonArray(ScimSchemas.ResourceType),
        ["id"] = name,
        ["name"] = name,
        ["endpoint"] = endpoint,
        ["description"] = name == "User" ? "A member of the workspace (userName: the email)" : "A directory group; mapped to roles in Settings",
        ["schema"] = schema,
        ["schemaExtensions"] = new JsonArray(),
        ["meta"] = Meta("ResourceType", new Uri(baseUrl + "/ResourceTypes/" + name)),
    };

    private static JsonObject UserSchema(Uri baseUrl) => new()
    {
        ["schemas"] = new JsonArray(ScimSchemas.Schema),
        ["id"] = ScimSchemas.User,
        ["name"] = "User",
        ["description"] = "A member of the workspace",
        ["attributes"] = new JsonArray(
            Attribute("userName", "string", "The user's email address; unique; can't change once created.", required: true, uniqueness: "server", caseExact: false),
            Attribute("externalId", "string", "The directory's id of the user.", caseExact: true),
            new JsonObject
            {
                ["name"] = "name", ["type"] = "complex", ["multiValued"] = false, ["required"] = false, ["mutability"] = "readWrite",
                ["returned"] = "default", ["description"] = "The user's name.",
                ["subAttributes"] = new JsonArray(Attribute("givenName", "string", "Given name."), Attribute("familyName", "string", "Family name."),
                    Attribute("formatted", "string", "Given and family name.", mutability: "readOnly")),
            },
            Attribute("displayName", "string", "The account's display name (shared by every workspace of the account).", mutability: "readOnly"),
            new JsonObject
            {
                ["name"] = "emails", ["type"] = "complex", ["multiValued"] = true, ["required"] = false, ["mutability"] = "readOnly", ["returned"] = "default",
                ["description"] = "The userName, as the work email.",
                ["subAttributes"] = new JsonArray(Attribute("value", "string", "The email.", mutability: "readOnly"), Attribute("type", "string", "Always work.", mutability: "readOnly"),
                    Attribute("primary", "boolean", "Always true.", mutability: "readOnly")),
            },
            Attribute("active", "boolean", "False suspends the membership (it keeps its role and seat); true reactivates it."),
            new JsonObject
            {
                ["name"] = "groups", ["type"] = "complex", ["multiValued"] = true, ["required"] = false, ["mutability"] = "readOnly", ["returned"] = "default",
                ["description"] = "The groups the user belongs to; change them through the Groups endpoint.",
                ["subAttributes"] = new JsonArray(Attribute("value", "string", "The group's id.", mutability: "readOnly"), Attribute("display", "string", "The group's name.", mutability: "readOnly")),
            }),
        ["meta"] = Meta("Schema", new Uri(baseUrl + "/Schemas/" + ScimSchemas.User)),
    };

    private static JsonObject GroupSchema(Uri baseUrl) => new()
    {
        ["schemas"] = new JsonArray(ScimSchemas.Schema),
        ["id"] = ScimSchemas.Group,
        ["name"] = "Group",
        ["description"] = "A directory group; its members get the role the workspace's mapping gives the group",
        ["attributes"] = new JsonArray(
            Attribute("displayName", "string", "The group's name; unique in the workspace (case-insensitive).", required: true, uniqueness: "server", caseExact: false),
            Attribute("externalId", "string", "The directory's id of the group.", caseExact: true),
            new JsonObject
            {
                ["name"] = "members", ["type"] = "complex", ["multiValued"] = true, ["required"] = false, ["mutability"] = "readWrite", ["returned"] = "default",
                ["description"] = "The group's members: user ids of this workspace.",
                ["subAttributes"] = new JsonArray(Attribute("value", "string", "The user's id.", mutability: "immutable"),
                    Attribute("display", "string", "The user's userName.", mutability: "readOnly")),
            }),
        ["meta"] = Meta("Schema", new Uri(baseUrl + "/Schemas/" + ScimSchemas.Group)),
    };

    private static JsonObject Attribute(string name, string type, string description, bool required = false, string uniqueness = "none",
        bool caseExact = false, string mutability = "readWrite") => new()
    {
        ["name"] = name, ["type"] = type, ["multiValued"] = false, ["description"] = description, ["required"] = required, ["caseExact"] = caseExact,
        ["mutability"] = mutability, ["returned"] = "default", ["uniqueness"] = uniqueness,
    };

    private static JsonObject Meta(string resourceType, Uri location) => new() { ["resourceType"] = resourceType, ["location"] = location.AbsoluteUri };
}
