namespace TenantPortal.Data.Services.Webhooks;

/// <summary>What one POST got: the answer's status (null when none came), how long it took, and why it failed (null: 2xx).</summary>
public sealed record WebhookSendResult(int? StatusCode, int DurationMs, string? Error)
{
    /// <summary>True when the endpoint answered 2xx.</summary>
    public bool Succeeded => Error is null;
}
