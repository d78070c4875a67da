namespace TenantPortal.Data.Services.Scim;

/// <summary>A group as a directory sends it on create or replace: its name, external id and members (SCIM user ids).</summary>
public sealed record ScimGroupInput(string? DisplayName, string? ExternalId, IReadOnlyList<Guid> Members);
