namespace TenantPortal.Data.Options;

/// <summary>The <c>Webhooks</c> section: how the portal delivers events to tenants' endpoints.</summary>
public sealed class WebhookOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Webhooks";

    /// <summary>
    /// Tests only: allows http URLs and loopback, private and link-local addresses (at registration and at send time).
    /// Refused at start-up in Production.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>How long one attempt may take, in seconds (1–60).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 10;
}
