namespace TenantPortal.Web.Options;

/// <summary>The <c>Portal</c> section: where people reach the portal.</summary>
public sealed class PortalOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Portal";

    /// <summary>
    /// The address people open the portal at (scheme, host and optional port, e.g. <c>https://portal.example.com</c>).
    /// Every link the portal sends (password resets, invitations, notices, Stripe's return addresses) is built from it,
    /// never from a request's Host, and outside Development its host is the one the portal serves (with tenant hosts).
    /// Required outside Development; in Development it defaults to the first address the portal listens on.
    /// </summary>
    public string? PublicUrl { get; set; }
}
