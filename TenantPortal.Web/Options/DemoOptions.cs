using System.ComponentModel.DataAnnotations;

namespace TenantPortal.Web.Options;

/// <summary>The <c>Demo</c> section: demo tenants, users and history for a first run.</summary>
public sealed class DemoOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Demo";

    /// <summary>Seed the demo data (appsettings.Development.json turns it on).</summary>
    public bool Seed { get; set; }

    /// <summary>Password of every demo user.</summary>
    [Required(ErrorMessage = "Demo:Password is required.")]
    [MinLength(12, ErrorMessage = "Demo:Password must be at least 12 characters long.")]
    public string Password { get; set; } = "Demo-Portal-2026";

    /// <summary>When set, the demo tenant <c>acme</c> gets this API key with every scope.</summary>
    [RegularExpression("^$|^tp_[A-Za-z0-9_]{20,}$", ErrorMessage = "Demo:ApiKey must start with 'tp_' followed by at least 20 letters, digits or underscores.")]
    public string? ApiKey { get; set; }
}
