using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>A fresh, migrated SQLite file per test class instance; deleted afterwards.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    public SqliteTestDatabase() : this(NewPath())
    {
    }

    private SqliteTestDatabase(string path) => Path = path;

    public string Path { get; }

    /// <inheritdoc />
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private static string NewPath() => System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tenantportal-test-{Guid.NewGuid():N}.db");

    /// <summary>A copy of this (closed, migrated) database in a new file: a fresh start for one test case without migrating again.</summary>
    public override SqliteTestDatabase Copy()
    {
        var copy = new SqliteTestDatabase(NewPath());
        File.Copy(Path, copy.Path);
        return copy;
    }

    public override string ConnectionString => $"Data Source={Path};Pooling=False";

    /// <inheritdoc />
    public override SqlitePortalDbContext CreateContext(TenantContext tenant) => CreateContext(tenant, []);

    /// <inheritdoc />
    public override SqlitePortalDbContext CreateContext(TenantContext tenant, params IInterceptor[] interceptors) =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(ConnectionString).AddInterceptors(interceptors).Options, tenant);

    public override async Task InitializeAsync()
    {
        await using var db = CreateContext(new TenantContext());
        await db.Database.MigrateAsync();
    }

    public override Task DisposeAsync()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(Path + suffix);
        return Task.CompletedTask;
    }
}
