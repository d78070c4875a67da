using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data;

/// <summary>The PostgreSQL flavour (production without SQL Server), with its own migrations under Migrations/PostgreSql.</summary>
public sealed partial class PostgreSqlPortalDbContext : PortalDbContext
{
    /// <summary>
    /// Creates the context. SaveChanges always runs in a transaction (EF Core would skip it for a single statement): row-level
    /// security's tenant setting is set in it before the batch (<see cref="Tenancy.PostgreSqlTenantSettingInterceptor"/>).
    /// </summary>
    public PostgreSqlPortalDbContext(DbContextOptions<PostgreSqlPortalDbContext> options, ITenantContext tenant) : base(options, tenant) =>
        Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // The configurations write index filters in SQL Server's quoting ([Column]), which SQLite reads too; PostgreSQL quotes "Column".
        foreach (var index in builder.Model.GetEntityTypes().SelectMany(e => e.GetDeclaredIndexes()))
        {
            if (index.GetFilter() is { } filter)
                index.SetFilter(BracketedName().Replace(filter, "\"$1\""));
        }
    }

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // timestamptz holds an instant; Npgsql writes only offset-zero values, so every value is taken to UTC on its way in.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcDateTimeOffsetConverter>();
    }

    [GeneratedRegex(@"\[(\w+)\]")]
    private static partial Regex BracketedName();
}
