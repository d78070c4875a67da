namespace TenantPortal.Data.Services.Notifications;

/// <summary>What came of an "Ask an owner".</summary>
/// <param name="AskedAt">When the member asked (the first time, when asked before).</param>
/// <param name="OwnersNotified">Owners notified by this ask (0 when asked before).</param>
/// <param name="AlreadyAsked">True when the member had already asked about it this period.</param>
public sealed record OwnerAsk(DateTimeOffset AskedAt, int OwnersNotified, bool AlreadyAsked);
