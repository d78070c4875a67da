using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data;

/// <summary>Lets <c>dotnet ef</c> build the SQL Server context; it never connects.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerPortalDbContext>
{
    /// <summary>A connection string that is never opened: migrations and scripts are generated offline.</summary>
    public const string OfflineConnectionString = "Server=offline;Database=TenantPortal;Trusted_Connection=True;TrustServerCertificate=True";

    /// <inheritdoc />
    public SqlServerPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerPortalDbContext>().UseSqlServer(OfflineConnectionString).Options, new TenantContext());
}
