namespace TenantPortal.Data.Services;

/// <summary>Who performs an operation: the signed-in user (id and how they are shown) and where the request came from.</summary>
/// <param name="UserId">The Identity user id; for an API key, the user who created the key.</param>
/// <param name="Display">How the actor appears in the audit log, usually the email; for an API key, the key and its creator.</param>
/// <param name="IpAddress">The client's address, when known.</param>
public sealed record Actor(string UserId, string Display, string? IpAddress = null)
{
    /// <summary>The API key the request came with, or null for a signed-in user.</summary>
    public ApiKeyActor? ApiKey { get; init; }

    /// <summary>An actor for a call made with an API key, audited as the key (name, prefix) and the user who created it.</summary>
    public static Actor ForApiKey(ApiKeyActor key, string createdByUserId, string? createdByEmail, string? ipAddress) =>
        new(createdByUserId, $"API key {key.Name} ({key.Prefix}…) of {createdByEmail ?? "a former member"}", ipAddress) { ApiKey = key };
}
