namespace TenantPortal.Web.Endpoints.Management;

/// <summary>A checked page request: its size, and the key of the last item of the previous page (null: from the start).</summary>
public sealed record PageRequest(int Limit, string? After);
