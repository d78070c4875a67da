using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data;

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context; it never connects.</summary>
public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlPortalDbContext>
{
    /// <summary>A connection string that is never opened: migrations and scripts are generated offline.</summary>
    public const string OfflineConnectionString = "Host=offline;Database=tenantportal;Username=tenantportal_owner";

    /// <inheritdoc />
    public PostgreSqlPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql(OfflineConnectionString).Options, new TenantContext());
}
