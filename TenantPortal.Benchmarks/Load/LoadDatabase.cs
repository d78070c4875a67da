using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// A fresh SQLite file for a scenario, migrated and in WAL mode as the portal runs it, with helpers that arrange data
/// directly (tenants on a plan, owners with a password, API keys, events in bulk). The portal is started on it afterwards.
/// </summary>
public sealed class LoadDatabase
{
    private LoadDatabase(string path)
    {
        Path = path;
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Its connection string (pooled).</summary>
    public string ConnectionString { get; }

    /// <summary>Creates and migrates <c>portal.db</c> in <paramref name="folder"/>.</summary>
    public static async Task<LoadDatabase> CreateAsync(string folder, CancellationToken cancellationToken = default)
    {
        var database = new LoadDatabase(System.IO.Path.Combine(folder, "portal.db"));
        await using var db = database.CrossTenant();
        await db.Database.MigrateAsync(cancellationToken);
        // As DatabaseMigrator does on SQLite: the mode is stored in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        return database;
    }

    /// <summary>A context that sees every tenant (the arrangement works across tenants).</summary>
    public SqlitePortalDbContext CrossTenant()
    {
        var tenantContext = new TenantContext();
        tenantContext.BeginCrossTenantScope("load harness arrangement");
        return new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(ConnectionString).Options, tenantContext);
    }

    /// <summary>A context working for one tenant, as the portal's services see it.</summary>
    public SqlitePortalDbContext ForTenant(Guid tenantId)
    {
        var tenantContext = new TenantContext();
        tenantContext.SetTenant(tenantId);
        return new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(ConnectionString).Options, tenantContext);
    }

    /// <summary>An open connection for bulk statements.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Adds tenants as the portal's sign-up and billing leave them: on <paramref name="tier"/> (monthly) since
    /// <paramref name="since"/>, Active and charged (paid tiers), with their plan segment. Returns their ids in order.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> AddTenantsAsync(IEnumerable<(string Slug, SubscriptionTier Tier)> tenants, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var ids = new List<Guid>();
        await using var db = CrossTenant();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var chunk in tenants.Chunk(1_000))
        {
            foreach (var (slug, tier) in chunk)
            {
                // Through the tenant's own transitions: a paid tier subscribed at `since`, its periods renewed up to now.
                var tenant = Tenant.Create($"Tenant {slug}", slug, tier, since, TimeSpan.FromDays(14));
                var charged = tier != SubscriptionTier.Free;
                if (charged)
                {
                    tenant.Subscribe(tier, BillingCycle.Monthly, since);
                    tenant.RenewPeriod(now);
                }
                db.Tenants.Add(tenant);
                db.PlanSegments.Add(new PlanSegment { TenantId = tenant.Id, Tier = tier, Cycle = BillingCycle.Monthly, StartsAt = since, Charged = charged });
                ids.Add(tenant.Id);
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
        return ids;
    }

    /// <summary>Adds one tenant (see <see cref="AddTenantsAsync"/>).</summary>
    public async Task<Guid> AddTenantAsync(string slug, SubscriptionTier tier, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        (await AddTenantsAsync([(slug, tier)], since, now, cancellationToken))[0];

    /// <summary>Creates an API key of the tenant (default scopes) and returns its secret.</summary>
    public async Task<string> AddApiKeyAsync(Guid tenantId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var secret = "tp_live_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        await using var db = CrossTenant();
        db.ApiKeys.Add(new ApiKey
        {
            TenantId = tenantId,
            Name = "load harness",
            Prefix = secret[..ApiKey.PrefixLength],
            SecretHash = SecretHasher.Sha256Hex(secret),
            Scopes = ApiKeyScopes.Default,
            CreatedAt = now,
            CreatedByUserId = "load-harness",
        });
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    /// <summary>Creates a confirmed user with <paramref name="password"/> and makes them a member of the tenant.</summary>
    public async Task AddMemberAsync(Guid tenantId, string email, string password, TenantRole role, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = CrossTenant();
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == email.ToUpperInvariant(), cancellationToken);
        if (user is null)
        {
            user = new PortalUser
            {
                UserName = email,
                NormalizedUserName = email.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true,
                DisplayName = email.Split('@')[0],
                CreatedAt = now,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
            };
            user.PasswordHash = new PasswordHasher<PortalUser>().HashPassword(user, password);
            db.Users.Add(user);
        }
        db.Members.Add(new TenantMember { TenantId = tenantId, UserId = user.Id, Role = role, JoinedAt = now });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Inserts events straight into the table (one prepared statement, one transaction per 50,000 rows), in the formats
    /// the portal writes: for arranging millions of events quickly. Ids are the caller's; they must be new for the tenant.
    /// </summary>
    public async Task InsertEventsAsync(IEnumerable<(Guid TenantId, string ClientEventId, UsageMetric Metric, decimal Quantity, DateTimeOffset Timestamp)> events, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=NORMAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var chunk in events.Chunk(50_000))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO \"UsageEvents\" (\"TenantId\", \"ClientEventId\", \"Metric\", \"Quantity\", \"Timestamp\", \"ReceivedAt\") VALUES ($t, $c, $m, $q, $s, $r);";
            var tenant = command.Parameters.Add("$t", SqliteType.Text);
            var client = command.Parameters.Add("$c", SqliteType.Text);
            var metric = command.Parameters.Add("$m", SqliteType.Text);
            var quantity = command.Parameters.Add("$q", SqliteType.Text);
            var timestamp = command.Parameters.Add("$s", SqliteType.Integer);
            command.Parameters.AddWithValue("$r", receivedAt.UtcTicks);
            command.Prepare();
            foreach (var e in chunk)
            {
                tenant.Value = e.TenantId.ToString().ToUpperInvariant();
                client.Value = e.ClientEventId;
                metric.Value = e.Metric.ToString();
                quantity.Value = e.Quantity;
                timestamp.Value = e.Timestamp.UtcTicks;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
