using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Tests.Data;

/// <summary>
/// The migration that makes who suspended a tenant explicit backfills the suspended rows of an existing database from the
/// inference the portal used before (ADR 8), on SQLite.
/// </summary>
public sealed class SuspensionReasonMigrationTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tenantportal-migration-{Guid.NewGuid():N}.db");

    private string ConnectionString => $"Data Source={_path};Pooling=False";

    [Fact]
    public async Task Migrate_BackfillsTheSuspensionReason_OfSuspendedTenants_FromTheirDates()
    {
        await using (var db = Context())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var index = migrations.FindIndex(m => m.EndsWith("_TenantSuspensionReason", StringComparison.Ordinal));
            Assert.True(index > 0, "the TenantSuspensionReason migration");
            await db.GetService<IMigrator>().MigrateAsync(migrations[index - 1]);
        }
        const string suspended = "2026-11-10 08:00:00+00:00";
        await InsertAsync("unpaid", "Suspended", ("PastDueSince", "2026-11-01 00:00:00+00:00"), ("SubscriptionStartedAt", "2026-01-01 00:00:00+00:00"), ("SuspendedAt", suspended));
        await InsertAsync("trial-ended", "Suspended", ("TrialEndsAt", "2026-11-09 00:00:00+00:00"), ("SuspendedAt", suspended));
        // Suspended while its trial still ran: an operator did that, although the trial has ended since.
        await InsertAsync("held-trial", "Suspended", ("TrialEndsAt", "2026-11-15 00:00:00+00:00"), ("SuspendedAt", suspended));
        await InsertAsync("held-subscriber", "Suspended", ("SubscriptionStartedAt", "2026-01-01 00:00:00+00:00"), ("SuspendedAt", suspended));
        await InsertAsync("running", "Active", ("SubscriptionStartedAt", "2026-01-01 00:00:00+00:00"));

        await using (var db = Context())
            await db.Database.MigrateAsync();

        Assert.Equal(new Dictionary<string, string?>
        {
            ["held-subscriber"] = "Operator", ["held-trial"] = "Operator", ["running"] = null, ["trial-ended"] = "TrialExpired", ["unpaid"] = "NonPayment",
        }, await ReasonsAsync());
    }

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_path + suffix);
    }

    private SqlitePortalDbContext Context() =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(ConnectionString).Options, new TenantContext());

    // A row as the portal stored it before the migration: every required column gets a neutral value, then the given ones.
    private async Task InsertAsync(string slug, string status, params (string Column, string Value)[] values)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        var columns = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["Id"] = Guid.NewGuid().ToString().ToUpperInvariant(), ["Name"] = slug, ["Slug"] = slug, ["Status"] = status, ["Tier"] = "Starter",
            ["BillingCycle"] = "Monthly", ["CreatedAt"] = "2026-01-01 00:00:00+00:00", ["ConcurrencyStamp"] = Guid.NewGuid().ToString().ToUpperInvariant(),
        };
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info('Tenants')";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                if (reader.GetInt64(2) == 1 && reader.IsDBNull(3) && !columns.ContainsKey(reader.GetString(0)))
                    columns[reader.GetString(0)] = reader.GetString(1) == "INTEGER" ? 0 : "{}";
        }
        foreach (var (column, value) in values)
            columns[column] = value;
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO Tenants ({string.Join(", ", columns.Keys)}) VALUES ({string.Join(", ", columns.Keys.Select(k => "$" + k))})";
        foreach (var (column, value) in columns)
            insert.Parameters.AddWithValue("$" + column, value);
        await insert.ExecuteNonQueryAsync();
    }

    private async Task<Dictionary<string, string?>> ReasonsAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Slug, SuspensionReason FROM Tenants";
        var reasons = new Dictionary<string, string?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            reasons[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        return reasons;
    }
}
