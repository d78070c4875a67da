namespace TenantPortal.Data.Services.Metering;

/// <summary>A quota alert fired this period: when, for which quota, and what it said.</summary>
public sealed record PeriodAlert(DateTimeOffset FiredAt, string Target, string? Details);
