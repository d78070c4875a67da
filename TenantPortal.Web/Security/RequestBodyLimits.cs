namespace TenantPortal.Web.Security;

/// <summary>
/// The largest request bodies accepted. A usage batch of 1,000 events with 128-character ids is about 250 KB of JSON
/// (330 KB indented): 1 MiB leaves room to spare. Stripe's events are a few kilobytes. Everything else (forms, SignalR's
/// long-polling fallback) stays well under Kestrel's limit, lowered from its 30 MB default.
/// </summary>
public static class RequestBodyLimits
{
    /// <summary>The <c>/api/v1</c> routes.</summary>
    public const long ApiBytes = 1024 * 1024;

    /// <summary>The Stripe webhook.</summary>
    public const long WebhookBytes = 256 * 1024;

    /// <summary>Kestrel's limit for every other request.</summary>
    public const long DefaultBytes = 1024 * 1024;

    /// <summary>A limit as people say it: "1 MiB", "256 KiB".</summary>
    public static string Describe(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / 1024 / 1024} MiB" : $"{bytes / 1024} KiB";
}
