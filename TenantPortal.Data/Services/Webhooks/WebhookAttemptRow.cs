namespace TenantPortal.Data.Services.Webhooks;

/// <summary>One attempt of a delivery.</summary>
public sealed record WebhookAttemptRow(int Number, DateTimeOffset At, int? StatusCode, int DurationMs, bool Succeeded, string? Error);
