namespace TenantPortal.Data.Tenancy;

/// <summary>Thrown when code tries to save a row of another tenant than the current one: always a bug, never an expected outcome.</summary>
public sealed class TenantIsolationException(string message) : InvalidOperationException(message);
