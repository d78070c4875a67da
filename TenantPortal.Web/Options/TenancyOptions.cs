using System.ComponentModel.DataAnnotations;
using TenantPortal.Core.Common;

namespace TenantPortal.Web.Options;

/// <summary>The <c>Tenancy</c> section.</summary>
public sealed class TenancyOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Tenancy";

    /// <summary>
    /// When set (e.g. <c>portal.example.com</c>), <c>{slug}.portal.example.com</c> opens that tenant, and tenants'
    /// verified custom domains are honoured. Compared ignoring case and a trailing dot.
    /// </summary>
    public string? RootDomain { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(RootDomain) && HostNames.Normalize(RootDomain.Trim()) is null)
            yield return new ValidationResult($"Tenancy:RootDomain '{RootDomain}' is not a host name such as portal.example.com.", [nameof(RootDomain)]);
    }
}
