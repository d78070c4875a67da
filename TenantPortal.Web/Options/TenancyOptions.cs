using System.ComponentModel.DataAnnotations;

namespace TenantPortal.Web.Options;

/// <summary>The <c>Tenancy</c> section.</summary>
public sealed class TenancyOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Tenancy";

    /// <summary>When set (e.g. <c>portal.example.com</c>), <c>{slug}.portal.example.com</c> opens that tenant, and tenants' custom domains are honoured.</summary>
    [RegularExpression(@"^$|^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
        ErrorMessage = "Tenancy:RootDomain must be a lower-case host name such as portal.example.com.")]
    public string? RootDomain { get; set; }
}
