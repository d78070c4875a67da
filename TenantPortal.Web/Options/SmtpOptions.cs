using System.ComponentModel.DataAnnotations;

namespace TenantPortal.Web.Options;

/// <summary>The <c>Email:Smtp</c> section, used with <c>Email:Mode=Smtp</c>.</summary>
public sealed class SmtpOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Email:Smtp";

    /// <summary>Server host name.</summary>
    public string Host { get; set; } = "";

    /// <summary>Server port.</summary>
    [Range(1, 65535, ErrorMessage = "Email:Smtp:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 587;

    /// <summary>User name, when the server wants one.</summary>
    public string? Username { get; set; }

    /// <summary>Password.</summary>
    public string? Password { get; set; }

    /// <summary>Use STARTTLS/TLS when the server offers it.</summary>
    public bool UseTls { get; set; } = true;
}
