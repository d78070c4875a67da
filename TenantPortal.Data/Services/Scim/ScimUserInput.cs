namespace TenantPortal.Data.Services.Scim;

/// <summary>A user as a directory sends it (create, replace, or the result of a PATCH); <c>Active</c> null leaves it as it is (active on create).</summary>
public sealed record ScimUserInput(string? UserName, string? ExternalId, string? GivenName, string? FamilyName, bool? Active);
