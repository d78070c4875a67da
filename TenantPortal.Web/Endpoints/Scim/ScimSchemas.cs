namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>The SCIM 2.0 schema URNs and media type the endpoints speak (RFC 7643, RFC 7644).</summary>
public static class ScimSchemas
{
    /// <summary>The SCIM media type; <c>application/json</c> is accepted too.</summary>
    public const string MediaType = "application/scim+json";

    /// <summary>The core User schema.</summary>
    public const string User = "urn:ietf:params:scim:schemas:core:2.0:User";

    /// <summary>The core Group schema.</summary>
    public const string Group = "urn:ietf:params:scim:schemas:core:2.0:Group";

    /// <summary>A list response.</summary>
    public const string ListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    /// <summary>A PATCH request.</summary>
    public const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /// <summary>An error response.</summary>
    public const string Error = "urn:ietf:params:scim:api:messages:2.0:Error";

    /// <summary>The service provider configuration.</summary>
    public const string ServiceProviderConfig = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

    /// <summary>A resource type.</summary>
    public const string ResourceType = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";

    /// <summary>A schema definition.</summary>
    public const string Schema = "urn:ietf:params:scim:schemas:core:2.0:Schema";
}
