using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated test database on one provider: <see cref="SqliteTestDatabase"/> (a file) or
/// <see cref="PostgreSqlTestDatabase"/> (a database on the tests' server). The data and service tests run on both: each such
/// test class is abstract, taking the provider, with a nested <c>Sqlite</c> and <c>PostgreSql</c> subclass, so a test's name
/// says the provider it ran on (<c>MemberServiceTests+PostgreSql.List_…</c>).
/// </summary>
public abstract class TestDatabase : IAsyncLifetime
{
    /// <summary>The providers the data and service tests run on.</summary>
    public static readonly DatabaseProvider[] Providers = [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql];

    /// <summary>A new (not yet initialised) database on <paramref name="provider"/>.</summary>
    public static TestDatabase Create(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteTestDatabase(),
        DatabaseProvider.PostgreSql => new PostgreSqlTestDatabase(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "The tests run on SQLite and PostgreSQL (SQL Server can't be installed here)."),
    };

    /// <summary>The provider this database is on.</summary>
    public abstract DatabaseProvider Provider { get; }

    /// <summary>A connection string to this database.</summary>
    public abstract string ConnectionString { get; }

    /// <summary>A context working for the given tenant context, configured as the portal configures its provider (execution strategy included).</summary>
    public abstract PortalDbContext CreateContext(TenantContext tenant);

    /// <summary>A context as <see cref="CreateContext(TenantContext)"/> makes it, with <paramref name="interceptors"/> added.</summary>
    public abstract PortalDbContext CreateContext(TenantContext tenant, params IInterceptor[] interceptors);

    /// <summary>A context for one tenant.</summary>
    public PortalDbContext ForTenant(Guid tenantId)
    {
        var tenant = new TenantContext();
        tenant.SetTenant(tenantId);
        return CreateContext(tenant);
    }

    /// <summary>A context in a cross-tenant scope (for arranging data of several tenants).</summary>
    public PortalDbContext CrossTenant()
    {
        var tenant = new TenantContext();
        tenant.BeginCrossTenantScope("test arrangement");
        return CreateContext(tenant);
    }

    /// <summary>
    /// A copy of this (migrated, seeded, idle) database as a new, ready database: a fresh start for one test case without
    /// migrating and seeding again. Dispose it after.
    /// </summary>
    public abstract TestDatabase Copy();

    /// <inheritdoc />
    public abstract Task InitializeAsync();

    /// <inheritdoc />
    public abstract Task DisposeAsync();
}
