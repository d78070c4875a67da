using System.ComponentModel.DataAnnotations;

namespace TenantPortal.Web.Options;

/// <summary>The <c>Email</c> section.</summary>
public sealed class EmailOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Email";

    /// <summary><c>Pickup</c> (one .eml file per message) or <c>Smtp</c>.</summary>
    [RegularExpression("^(Pickup|Smtp)$", ErrorMessage = "Email:Mode must be Pickup or Smtp.")]
    public string Mode { get; set; } = "Pickup";

    /// <summary>Folder of the pickup files, relative to the content root.</summary>
    [Required(ErrorMessage = "Email:PickupDirectory is required.")]
    public string PickupDirectory { get; set; } = "App_Data/mail";

    /// <summary>Sender address.</summary>
    [EmailAddress(ErrorMessage = "Email:From must be an email address.")]
    public string From { get; set; } = "no-reply@tenantportal.local";
}
