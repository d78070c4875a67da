namespace TenantPortal.Data.Services.Metering;

/// <summary>Refused requests of one tenant on one UTC day for one reason.</summary>
public sealed record RefusalCount(Guid TenantId, DateOnly Day, string Reason, long Count);
