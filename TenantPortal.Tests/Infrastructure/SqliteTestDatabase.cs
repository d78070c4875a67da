using Microsoft.EntityFrameworkCore;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>A fresh, migrated SQLite file per test class instance; deleted afterwards.</summary>
public sealed class SqliteTestDatabase : IAsyncLifetime
{
    public SqliteTestDatabase() : this(NewPath())
    {
    }

    private SqliteTestDatabase(string path) => Path = path;

    public string Path { get; }

    private static string NewPath() => System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tenantportal-test-{Guid.NewGuid():N}.db");

    /// <summary>A copy of this (closed, migrated) database in a new file: a fresh start for one test case without migrating again.</summary>
    public SqliteTestDatabase Copy()
    {
        var copy = new SqliteTestDatabase(NewPath());
        File.Copy(Path, copy.Path);
        return copy;
    }

    public string ConnectionString => $"Data Source={Path};Pooling=False";

    /// <summary>A context working for the given tenant context.</summary>
    public SqlitePortalDbContext CreateContext(TenantContext tenant) =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(ConnectionString).Options, tenant);

    /// <summary>A context for one tenant.</summary>
    public SqlitePortalDbContext ForTenant(Guid tenantId)
    {
        var tenant = new TenantContext();
        tenant.SetTenant(tenantId);
        return CreateContext(tenant);
    }

    /// <summary>A context in a cross-tenant scope (for arranging data of several tenants).</summary>
    public SqlitePortalDbContext CrossTenant()
    {
        var tenant = new TenantContext();
        tenant.BeginCrossTenantScope("test arrangement");
        return CreateContext(tenant);
    }

    public async Task InitializeAsync()
    {
        await using var db = CreateContext(new TenantContext());
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(Path + suffix);
        return Task.CompletedTask;
    }
}
