using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Benchmarks.Infrastructure;

/// <summary>
/// A migrated SQLite file in its own temp folder, in write-ahead-log mode as the portal runs it, holding one Starter
/// tenant. Deleted with its folder on dispose.
/// </summary>
internal sealed class BenchmarkDatabase : IAsyncDisposable
{
    private readonly string _folder;

    private BenchmarkDatabase(string folder, Guid tenantId)
    {
        _folder = folder;
        TenantId = tenantId;
        // Pooled connections, as with the portal's default connection string.
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "portal.db") }.ToString();
        Contexts = new TenantDbContextFactory(ConnectionString, tenantId);
    }

    public string ConnectionString { get; }

    public Guid TenantId { get; }

    /// <summary>Contexts working for <see cref="TenantId"/>.</summary>
    public TenantDbContextFactory Contexts { get; }

    public static async Task<BenchmarkDatabase> CreateAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"tenantportal-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var tenant = Tenant.Create("Benchmark tenant", "benchmark", SubscriptionTier.Starter, now.AddMonths(-3), TimeSpan.FromDays(14));
        tenant.Subscribe(SubscriptionTier.Starter, BillingCycle.Monthly, now.AddMonths(-3));
        tenant.RenewPeriod(now);
        var database = new BenchmarkDatabase(folder, tenant.Id);

        var crossTenant = new TenantContext();
        using var scope = crossTenant.BeginCrossTenantScope("benchmark arrangement");
        await using var db = new SqlitePortalDbContext(
            new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(database.ConnectionString).Options, crossTenant);
        await db.Database.MigrateAsync(cancellationToken);
        // As DatabaseMigrator does on SQLite: the mode is stored in the file, so once is enough.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync(cancellationToken);
        return database;
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them before deleting.
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
