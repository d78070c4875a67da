using Microsoft.AspNetCore.Identity;

namespace TenantPortal.Data.Identity;

/// <summary>A person who signs in to the portal: a tenant member, an operator, or both.</summary>
public class PortalUser : IdentityUser
{
    /// <summary>The name shown in the app bar and member lists.</summary>
    public string? DisplayName { get; set; }

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
