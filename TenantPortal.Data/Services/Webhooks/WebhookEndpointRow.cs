namespace TenantPortal.Data.Services.Webhooks;

/// <summary>An endpoint as the portal shows it (never its secret).</summary>
/// <param name="Id">The endpoint's id.</param>
/// <param name="Url">Where events are sent.</param>
/// <param name="Description">What the admin wrote about it.</param>
/// <param name="Events">The subscribed event types.</param>
/// <param name="Enabled">True while events are delivered.</param>
/// <param name="DisabledAt">When it was disabled.</param>
/// <param name="DisabledForFailures">True when the portal disabled it after 3 days of failures.</param>
/// <param name="FailingSince">When its current run of failed attempts started.</param>
/// <param name="PreviousSecretExpiresAt">Until when the secret before the last rotation still signs.</param>
/// <param name="CreatedAt">When it was registered.</param>
public sealed record WebhookEndpointRow(Guid Id, string Url, string? Description, IReadOnlyList<string> Events, bool Enabled, DateTimeOffset? DisabledAt,
    bool DisabledForFailures, DateTimeOffset? FailingSince, DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset CreatedAt)
{
    internal static WebhookEndpointRow Of(Core.Webhooks.WebhookEndpoint e, DateTimeOffset now) =>
        new(e.Id, e.Url, e.Description, e.EventTypes, e.IsEnabled, e.DisabledAt, e.DisabledForFailures, e.FailingSince,
            e.PreviousSecretExpiresAt > now ? e.PreviousSecretExpiresAt : null, e.CreatedAt);
}
