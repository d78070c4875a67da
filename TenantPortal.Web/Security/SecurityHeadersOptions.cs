using System.ComponentModel.DataAnnotations;

namespace TenantPortal.Web.Security;

/// <summary>The <c>SecurityHeaders</c> section: HSTS settings (the other headers are fixed).</summary>
public sealed class SecurityHeadersOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SecurityHeaders";

    /// <summary>How long browsers remember to use HTTPS only (<c>Strict-Transport-Security: max-age</c>), in days; 365 by default.</summary>
    [Range(1, 730)]
    public int HstsMaxAgeDays { get; set; } = 365;

    /// <summary>
    /// Whether HSTS covers every subdomain of the host too. Off by default: the portal's own tenant subdomains are HTTPS,
    /// but an operator's other services under the same domain may not be, and HSTS cannot be taken back for a year.
    /// </summary>
    public bool HstsIncludeSubDomains { get; set; }
}
