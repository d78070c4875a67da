using Microsoft.EntityFrameworkCore;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>An <see cref="IDbContextFactory{PortalDbContext}"/> over a test database, bound to one tenant context (as a DI scope would be).</summary>
public sealed class TestContextFactory(TestDatabase database, TenantContext tenant) : IDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext() => database.CreateContext(tenant);
}
