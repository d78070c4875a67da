using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Data;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data;

public class MigrationTests
{
    private static readonly string[] DomainTables =
    [
        "Tenants", "QuotaOverrides", "TenantMembers", "Invitations", "ApiKeys", "UsageEvents", "UsageRollups",
        "Invoices", "InvoiceLines", "StripeWebhookEvents", "Notifications", "AuditEntries", "DataProtectionKeys",
        "AspNetUsers", "AspNetRoles", "AspNetUserRoles",
    ];

    [Fact]
    public async Task Migrate_CreatesEveryTable_OnAFreshSqliteFile()
    {
        var database = new SqliteTestDatabase();
        await database.InitializeAsync();
        try
        {
            await using var connection = new SqliteConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            var tables = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                    tables.Add(reader.GetString(0));

            Assert.All(DomainTables, t => Assert.Contains(t, tables));
            await using var db = database.CreateContext(new TenantPortal.Data.Tenancy.TenantContext());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public void SqlServerScript_IsGeneratedOffline_AndCreatesEveryTableAndUniqueIndex()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.All(DomainTables, t => Assert.Contains($"CREATE TABLE [{t}]", script));
        Assert.Contains("CREATE UNIQUE INDEX [IX_Tenants_Slug]", script);
        Assert.Contains("CREATE UNIQUE INDEX [IX_UsageEvents_TenantId_ClientEventId]", script);
        Assert.Contains("CREATE UNIQUE INDEX [IX_Invoices_TenantId_PeriodStart]", script);
        Assert.Contains("CREATE UNIQUE INDEX [IX_StripeWebhookEvents_StripeEventId]", script);
    }

    [Fact]
    public void SqliteModel_HasNoChangesMissingAMigration()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a SQLite migration: run dotnet ef migrations add.");
    }

    [Fact]
    public void PostgreSqlModel_HasNoChangesMissingAMigration()
    {
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a PostgreSQL migration: run dotnet ef migrations add.");
    }

    [Fact]
    public async Task Migrate_CreatesEveryTable_OnAFreshPostgreSqlDatabase()
    {
        var database = new PostgreSqlTestDatabase();
        await database.InitializeAsync();
        try
        {
            await using var db = database.CreateContext(new TenantPortal.Data.Tenancy.TenantContext());
            var tables = await db.Database.SqlQueryRaw<string>("SELECT tablename AS \"Value\" FROM pg_tables WHERE schemaname = 'public'").ToListAsync();

            Assert.All(DomainTables, t => Assert.Contains(t, tables));
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public void SqlServerModel_HasNoChangesMissingAMigration()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a SQL Server migration: run dotnet ef migrations add.");
    }
}
