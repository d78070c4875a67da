using System.ComponentModel.DataAnnotations;

namespace TenantPortal.Web.Options;

/// <summary>The <c>Operator</c> section: the bootstrap operator account.</summary>
public sealed class OperatorOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Operator";

    /// <summary>The bootstrap operator's email.</summary>
    [Required(ErrorMessage = "Operator:Email is required.")]
    [EmailAddress(ErrorMessage = "Operator:Email must be an email address.")]
    public string Email { get; set; } = "operator@tenantportal.local";

    /// <summary>Its password; when empty a strong one is generated and printed once.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// When true, <c>/ops</c> and <c>/hangfire</c> open only to operators who signed in with a second factor; an operator
    /// without one is sent to set it up. Default: true outside Development.
    /// </summary>
    public bool? RequireTwoFactor { get; set; }
}
