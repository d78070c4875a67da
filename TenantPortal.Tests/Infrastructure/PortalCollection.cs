namespace TenantPortal.Tests.Infrastructure;

/// <summary>The tests that share the one running portal.</summary>
[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalAppFactory>
{
    public const string Name = "Portal";
}
