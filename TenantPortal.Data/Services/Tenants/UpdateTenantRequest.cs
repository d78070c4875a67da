namespace TenantPortal.Data.Services.Tenants;

/// <summary>The editable details of a tenant; <paramref name="ConcurrencyStamp"/> is the stamp read with them.</summary>
public sealed record UpdateTenantRequest(string Name, string? BillingEmail, string? CustomDomain, Guid ConcurrencyStamp);
