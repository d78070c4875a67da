namespace TenantPortal.Data.Services.Scim;

/// <summary>
/// Error codes of SCIM operations beyond <see cref="Core.Common.ErrorCodes"/>; the SCIM endpoints turn each into a
/// status and an RFC 7644 <c>scimType</c>.
/// </summary>
public static class ScimErrorCodes
{
    /// <summary>A filter the service does not support (400 <c>invalidFilter</c>).</summary>
    public const string InvalidFilter = "invalidFilter";

    /// <summary>A body that is not the JSON a SCIM request needs (400 <c>invalidSyntax</c>).</summary>
    public const string InvalidSyntax = "invalidSyntax";

    /// <summary>A value that is missing or not allowed (400 <c>invalidValue</c>).</summary>
    public const string InvalidValue = "invalidValue";

    /// <summary>A PATCH path the service does not support (400 <c>invalidPath</c>).</summary>
    public const string InvalidPath = "invalidPath";

    /// <summary>An attribute that can't change, e.g. the last Owner's membership or a user's userName (400 <c>mutability</c>).</summary>
    public const string Mutability = "mutability";

    /// <summary>A userName or group name already taken (409 <c>uniqueness</c>).</summary>
    public const string Uniqueness = "uniqueness";

    /// <summary>The If-Match version is not the resource's (412).</summary>
    public const string VersionMismatch = "versionMismatch";
}
