namespace TenantPortal.Data.Services.Metering;

/// <summary>What happened to a batch: how many events are new and how many were seen before.</summary>
public sealed record IngestResult(int Accepted, int Duplicates);
