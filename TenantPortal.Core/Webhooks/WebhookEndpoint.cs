using TenantPortal.Core.Common;

namespace TenantPortal.Core.Webhooks;

/// <summary>
/// An address of the tenant's that receives signed events. Its signing secret is stored protected (the portal signs with
/// it); after a rotation the previous secret signs too until <see cref="PreviousSecretExpiresAt"/>. An endpoint whose
/// deliveries fail for <see cref="WebhookRetrySchedule.GiveUpAfter"/> in a row is disabled; an admin enables it again.
/// It changes state only through its own methods.
/// </summary>
public class WebhookEndpoint : ITenantOwned
{
    /// <summary>Longest URL.</summary>
    public const int UrlLength = 2000;

    /// <summary>Longest description.</summary>
    public const int DescriptionLength = 200;

    /// <summary>How long the previous secret keeps signing after a rotation.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    // For EF Core; everyone else starts with Create.
    private WebhookEndpoint()
    {
    }

    /// <summary>Primary key.</summary>
    public Guid Id { get; private set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The address events are POSTed to.</summary>
    public string Url { get; private set; } = "";

    /// <summary>What the admin wrote about it.</summary>
    public string? Description { get; private set; }

    /// <summary>The subscribed event types, comma-separated (see <see cref="EventTypes"/>).</summary>
    public string Events { get; private set; } = "";

    /// <summary>The signing secret, protected.</summary>
    public string ProtectedSecret { get; private set; } = "";

    /// <summary>The secret before the last rotation, protected; null when there was none or its overlap ended.</summary>
    public string? PreviousProtectedSecret { get; private set; }

    /// <summary>Until when <see cref="PreviousProtectedSecret"/> signs too.</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }

    /// <summary>When it was registered.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When it was disabled; null while enabled.</summary>
    public DateTimeOffset? DisabledAt { get; private set; }

    /// <summary>True when the portal disabled it because its deliveries failed for 3 days (not an admin).</summary>
    public bool DisabledForFailures { get; private set; }

    /// <summary>When the current run of failed attempts started; null after a success.</summary>
    public DateTimeOffset? FailingSince { get; private set; }

    /// <summary>Optimistic concurrency token.</summary>
    public Guid Version { get; private set; } = Guid.NewGuid();

    /// <summary>True while events are delivered to it.</summary>
    public bool IsEnabled => DisabledAt is null;

    /// <summary>The subscribed event types.</summary>
    public IReadOnlyList<string> EventTypes => Events.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>True when it is enabled and subscribed to <paramref name="type"/>.</summary>
    public bool Wants(string type) => IsEnabled && EventTypes.Contains(type, StringComparer.Ordinal);

    /// <summary>A new, enabled endpoint (inputs checked by the caller: see <see cref="WebhookEventTypes"/>).</summary>
    public static WebhookEndpoint Create(Guid tenantId, string url, string? description, IEnumerable<string> events, string protectedSecret, DateTimeOffset now) =>
        new() { TenantId = tenantId, Url = url, Description = description, Events = Join(events), ProtectedSecret = protectedSecret, CreatedAt = now };

    /// <summary>Changes the address, description and events.</summary>
    public void Update(string url, string? description, IEnumerable<string> events)
    {
        Url = url;
        Description = description;
        Events = Join(events);
        Version = Guid.NewGuid();
    }

    /// <summary>Signs with a new secret from now; the current one keeps signing until <paramref name="now"/> + <see cref="RotationOverlap"/>.</summary>
    public void RotateSecret(string protectedSecret, DateTimeOffset now)
    {
        PreviousProtectedSecret = ProtectedSecret;
        PreviousSecretExpiresAt = now + RotationOverlap;
        ProtectedSecret = protectedSecret;
        Version = Guid.NewGuid();
    }

    /// <summary>The protected secrets that sign at <paramref name="now"/>: the current one, then the previous one during its overlap.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousProtectedSecret is { } previous && PreviousSecretExpiresAt > now ? [ProtectedSecret, previous] : [ProtectedSecret];

    /// <summary>Stops deliveries (an admin's choice).</summary>
    public void Disable(DateTimeOffset now)
    {
        if (DisabledAt is not null)
            return;
        DisabledAt = now;
        DisabledForFailures = false;
        Version = Guid.NewGuid();
    }

    /// <summary>Delivers again from now on, failures forgotten.</summary>
    public void Enable()
    {
        DisabledAt = null;
        DisabledForFailures = false;
        FailingSince = null;
        Version = Guid.NewGuid();
    }

    /// <summary>An attempt succeeded: the run of failures ends.</summary>
    public void RecordSuccess() => FailingSince = null;

    /// <summary>
    /// An attempt failed at <paramref name="now"/>. Returns true when this disabled the endpoint: every attempt since
    /// <see cref="FailingSince"/> failed, for <see cref="WebhookRetrySchedule.GiveUpAfter"/> or longer.
    /// </summary>
    public bool RecordFailure(DateTimeOffset now)
    {
        FailingSince ??= now;
        if (DisabledAt is not null || now - FailingSince < WebhookRetrySchedule.GiveUpAfter)
            return false;
        DisabledAt = now;
        DisabledForFailures = true;
        Version = Guid.NewGuid();
        return true;
    }

    private static string Join(IEnumerable<string> events) => string.Join(',', events.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}
