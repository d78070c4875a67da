namespace TenantPortal.Data.Services.Scim;

/// <summary>A new SCIM token: its secret (shown once) and the base URL a directory is given with it.</summary>
public sealed record CreatedScimToken(Guid Id, string Name, string Prefix, string Secret, Uri BaseUrl);
