namespace TenantPortal.Data.Services.Domains;

/// <summary>The outcome of "Verify now": the domain as it is now, and what DNS said in plain words.</summary>
public sealed record DomainVerification(DomainRow Domain, DomainCheck Check);
