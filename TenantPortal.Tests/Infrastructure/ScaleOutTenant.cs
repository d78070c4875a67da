namespace TenantPortal.Tests.Infrastructure;

/// <summary>A tenant made for a scale-out test: its id, slug and an API key (secret) with every scope.</summary>
public sealed record ScaleOutTenant(Guid Id, string Slug, string ApiKey);
