using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data;

/// <summary>The SQLite flavour (the embedded default), with its own migrations under Migrations/Sqlite.</summary>
public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options, ITenantContext tenant)
    : PortalDbContext(options, tenant)
{
    /// <inheritdoc />
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        base.OnConfiguring(optionsBuilder);
        // A retrying strategy, as on SQL Server: busy retries, and an unwrapped user transaction fails here before production.
        optionsBuilder.UseSqlite(sqlite => sqlite.ExecutionStrategy(d => new SqliteRetryingExecutionStrategy(d)));
    }

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no date type: EF Core stores DateTimeOffset as text it can neither order nor compare.
        // UTC ticks in an INTEGER column order, compare and bucket (hour = ticks / 36e9) in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }
}
