namespace TenantPortal.Data.Services.Scim;

/// <summary>A page of a SCIM list: the total matching, the 1-based index of the first returned, and the resources.</summary>
public sealed record ScimPage<T>(int TotalResults, int StartIndex, IReadOnlyList<T> Resources);
