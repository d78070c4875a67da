using System.Data.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
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
/// A fresh database for a scenario, migrated as the portal runs it, with helpers that arrange data directly (tenants on a
/// plan, owners with a password, API keys, events in bulk); the portal is started on it afterwards. On SQLite a file in
/// the scenario's folder (WAL mode); on PostgreSQL a database of its own on the run's server, dropped when the run ends.
/// </summary>
public sealed class LoadDatabase
{
    private LoadDatabase(LoadProvider provider, string connectionString, string? path)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Path = path;
    }

    /// <summary>Which database the scenario runs on.</summary>
    public LoadProvider Provider { get; }

    /// <summary>The SQLite file (null on PostgreSQL).</summary>
    public string? Path { get; }

    /// <summary>Its connection string (pooled).</summary>
    public string ConnectionString { get; }

    /// <summary>Creates and migrates a database on the run's provider: <c>portal.db</c> in <paramref name="folder"/> on SQLite.</summary>
    public static Task<LoadDatabase> CreateAsync(LoadRun run, string folder, CancellationToken cancellationToken = default) =>
        run.Provider == LoadProvider.PostgreSql
            ? CreatePostgreSqlAsync(run, cancellationToken)
            : CreateSqliteAsync(folder, cancellationToken);

    /// <summary>Creates and migrates <c>portal.db</c> in <paramref name="folder"/> (the scenarios that run on SQLite only).</summary>
    public static async Task<LoadDatabase> CreateSqliteAsync(string folder, CancellationToken cancellationToken = default)
    {
        var path = System.IO.Path.Combine(folder, "portal.db");
        var database = new LoadDatabase(LoadProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = path }.ToString(), path);
        await using var db = database.CrossTenant();
        await db.Database.MigrateAsync(cancellationToken);
        // As DatabaseMigrator does on SQLite: the mode is stored in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        return database;
    }

    /// <summary>
    /// Creates and migrates a database of its own on the run's PostgreSQL server (<c>--postgres</c>), whatever the run's
    /// provider (the scale-out scenario always runs there); dropped when the run ends.
    /// </summary>
    public static async Task<LoadDatabase> CreatePostgreSqlAsync(LoadRun run, CancellationToken cancellationToken = default)
    {
        var name = $"tp_load_{Guid.NewGuid():N}";
        var server = new NpgsqlConnectionStringBuilder(run.PostgreSqlServer) { Database = "postgres", Pooling = false }.ToString();
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        run.OnEnd(async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        });
        var database = new LoadDatabase(LoadProvider.PostgreSql,
            new NpgsqlConnectionStringBuilder(run.PostgreSqlServer) { Database = name, Pooling = true }.ToString(), null);
        await using var db = database.CrossTenant();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        await db.Database.MigrateAsync(cancellationToken);
        return database;
    }

    /// <summary>The portal's configuration keys for this database (provider and connection string).</summary>
    public IReadOnlyDictionary<string, string> PortalSettings() => new Dictionary<string, string>
    {
        ["Database:Provider"] = Provider == LoadProvider.PostgreSql ? "PostgreSql" : "Sqlite",
        ["ConnectionStrings:Portal"] = Provider == LoadProvider.PostgreSql ? ConnectionString : $"Data Source={Path}",
    };

    /// <summary>Context options on this database for the provider's own context type.</summary>
    public DbContextOptions Options() => Provider == LoadProvider.PostgreSql
        ? new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql(ConnectionString).Options
        : new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(ConnectionString).Options;

    /// <summary>A context on these options for <paramref name="tenantContext"/>.</summary>
    public PortalDbContext CreateContext(DbContextOptions options, TenantContext tenantContext) => Provider == LoadProvider.PostgreSql
        ? new PostgreSqlPortalDbContext((DbContextOptions<PostgreSqlPortalDbContext>)options, tenantContext)
        : new SqlitePortalDbContext((DbContextOptions<SqlitePortalDbContext>)options, tenantContext);

    /// <summary>A context that sees every tenant (the arrangement works across tenants).</summary>
    public PortalDbContext CrossTenant()
    {
        var tenantContext = new TenantContext();
        tenantContext.BeginCrossTenantScope("load harness arrangement");
        return CreateContext(Options(), tenantContext);
    }

    /// <summary>A context working for one tenant, as the portal's services see it.</summary>
    public PortalDbContext ForTenant(Guid tenantId)
    {
        var tenantContext = new TenantContext();
        tenantContext.SetTenant(tenantId);
        return CreateContext(Options(), tenantContext);
    }

    /// <summary>An open SQLite connection for bulk statements.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (Provider != LoadProvider.Sqlite)
            throw new InvalidOperationException("OpenAsync is for SQLite databases; use OpenPostgreSqlAsync.");
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>An open PostgreSQL connection for bulk statements.</summary>
    public async Task<NpgsqlConnection> OpenPostgreSqlAsync(CancellationToken cancellationToken = default)
    {
        if (Provider != LoadProvider.PostgreSql)
            throw new InvalidOperationException("OpenPostgreSqlAsync is for PostgreSQL databases; use OpenAsync.");
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>How many events the table holds.</summary>
    public async Task<long> CountEventsAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = Provider == LoadProvider.PostgreSql ? await OpenPostgreSqlAsync(cancellationToken) : await OpenAsync(cancellationToken);
        await using (connection)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM \"UsageEvents\";";
            count.CommandTimeout = 0;
            var stored = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (connection is SqliteConnection sqlite)
                SqliteConnection.ClearPool(sqlite);
            return stored;
        }
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
        if (Provider == LoadProvider.PostgreSql)
        {
            await CopyEventsAsync(events, receivedAt, cancellationToken);
            return;
        }
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

    // PostgreSQL: binary COPY, one per call (the arrangement's own connection; not the measured path).
    private async Task CopyEventsAsync(IEnumerable<(Guid TenantId, string ClientEventId, UsageMetric Metric, decimal Quantity, DateTimeOffset Timestamp)> events, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenPostgreSqlAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY \"UsageEvents\" (\"TenantId\", \"ClientEventId\", \"Metric\", \"Quantity\", \"Timestamp\", \"ReceivedAt\") FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var e in events)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(e.TenantId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(e.ClientEventId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.Metric.ToString(), NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.Quantity, NpgsqlDbType.Numeric, cancellationToken);
            await importer.WriteAsync(e.Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(receivedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }
}
