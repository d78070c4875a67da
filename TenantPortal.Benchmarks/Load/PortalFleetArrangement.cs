using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Authorization;
using TenantPortal.Data.Identity;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The data the page and circuit scenarios read: a fleet of tenants over every tier, each with this month's usage
/// rolled up (and a tail of fresh events past the rollup watermark, as between two rollup runs), and one tenant with a
/// year of hourly history whose owner signs in with a password.
/// </summary>
public sealed class PortalFleetArrangement
{
    /// <summary>The owner of the tenant with history.</summary>
    public const string OwnerEmail = "owner@load.example";

    /// <summary>The owner's password.</summary>
    public const string OwnerPassword = "Load-Harness-Owner-2026";

    /// <summary>The slug of the tenant with a year of history.</summary>
    public const string HistorySlug = "history-tenant";

    private PortalFleetArrangement(LoadDatabase database, Guid historyTenantId, int tenants, int events)
    {
        Database = database;
        HistoryTenantId = historyTenantId;
        Tenants = tenants;
        Events = events;
    }

    /// <summary>The arranged database.</summary>
    public LoadDatabase Database { get; }

    /// <summary>The tenant with a year of history.</summary>
    public Guid HistoryTenantId { get; }

    /// <summary>Tenants in the database.</summary>
    public int Tenants { get; }

    /// <summary>Usage events in the database.</summary>
    public int Events { get; }

    /// <summary>Creates the database in <paramref name="folder"/> with <paramref name="tenants"/> tenants in all.</summary>
    public static async Task<PortalFleetArrangement> CreateAsync(string folder, int tenants, int historyDays, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var database = await LoadDatabase.CreateSqliteAsync(folder, cancellationToken);
        var tiers = Enum.GetValues<SubscriptionTier>();
        var since = now.AddDays(-historyDays - 1);
        var historyTenant = await database.AddTenantAsync(HistorySlug, SubscriptionTier.Professional, since, now, cancellationToken);
        var fleet = await database.AddTenantsAsync(
            Enumerable.Range(1, tenants - 1).Select(i => ($"fleet-{i:D5}", tiers[i % tiers.Length])), since, now, cancellationToken);
        await database.AddMemberAsync(historyTenant, OwnerEmail, OwnerPassword, TenantRole.Owner, now, cancellationToken);

        var history = await UsageHistoryArrangement.AddYearAsync(database, historyTenant, now, historyDays, cancellationToken);

        // Every fleet tenant used something this month; quantities spread the usage percentages from 0 to ~150 %.
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var usage = fleet.SelectMany((id, i) => new[]
        {
            (id, $"month-api-{i}", UsageMetric.ApiCalls, (decimal)(i % 150 * 1_000), monthStart.AddMinutes(1 + i % 600)),
            (id, $"month-gpu-{i}", UsageMetric.GpuHours, (decimal)(i % 40), monthStart.AddMinutes(2 + i % 600)),
            (id, $"month-gb-{i}", UsageMetric.StorageGb, (decimal)(i % 120), monthStart.AddMinutes(3 + i % 600)),
        }).ToList();
        await database.InsertEventsAsync(usage, now, cancellationToken);
        await AddMonthRollupsAsync(database, monthStart, now, cancellationToken);

        // Fresh events past the watermark: the fleet query adds them to the month rollups.
        var fresh = fleet.Where((_, i) => i % 10 == 0)
            .Select((id, i) => (id, $"fresh-{i}", UsageMetric.ApiCalls, 10m, now.AddMinutes(-1))).ToList();
        await database.InsertEventsAsync(fresh, now, cancellationToken);
        return new PortalFleetArrangement(database, historyTenant, tenants, usage.Count + history + fresh.Count);
    }

    /// <summary>
    /// Adds an operator (the Identity role and a user in it, without a password) for reading the fleet in process where no
    /// portal ran to bootstrap one.
    /// </summary>
    public static async Task AddOperatorAsync(LoadDatabase database, string email, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.CrossTenant();
        var role = await db.Roles.SingleOrDefaultAsync(r => r.Name == PortalRoles.Operator, cancellationToken);
        if (role is null)
        {
            role = new IdentityRole(PortalRoles.Operator) { NormalizedName = PortalRoles.Operator.ToUpperInvariant() };
            db.Roles.Add(role);
        }
        var user = new PortalUser { UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), EmailConfirmed = true, CreatedAt = now };
        db.Users.Add(user);
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role.Id });
        await db.SaveChangesAsync(cancellationToken);
    }

    // The fleet's events (one per tenant and metric this month) as the rollup leaves them in the month rollups the fleet
    // query reads, written directly: the rollup job's gauge statement is slow on 10,000 tenants (another part's work).
    private static async Task AddMonthRollupsAsync(LoadDatabase database, DateTimeOffset monthStart, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO "UsageRollups" ("TenantId", "Metric", "Granularity", "PeriodStart", "Sum", "EventCount", "LastValue", "LastValueAt", "LevelHours", "UpdatedAt")
            SELECT "TenantId", "Metric", 'Month', $month, "Quantity", 1,
                   CASE WHEN "Metric" = 'StorageGb' THEN "Quantity" END, CASE WHEN "Metric" = 'StorageGb' THEN "Timestamp" END, '0.0', $now
            FROM "UsageEvents" WHERE "Id" > (SELECT "LastEventId" FROM "MeteringWatermarks" WHERE "Name" = 'metering-rollup');
            UPDATE "MeteringWatermarks" SET "LastEventId" = (SELECT MAX("Id") FROM "UsageEvents") WHERE "Name" = 'metering-rollup';
            """;
        command.Parameters.AddWithValue("$month", monthStart.UtcTicks);
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
