using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Identity;
using TenantPortal.Tests.Builders;
using TenantPortal.Web.Startup;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// The production topology in miniature, shared by a test class: one migrated PostgreSQL database (Hangfire's schema
/// installed, as <c>--migrate-only</c> does), one Redis server of the class's own (so that a test may flush it), and
/// three portal processes (the published <c>TenantPortal.Web.dll</c> (<see cref="PublishedPortal"/>), Production, <c>Database:Provider=PostgreSql</c>,
/// <c>Hangfire:Storage=PostgreSql</c>, one Data Protection certificate) started at the same moment on free loopback
/// ports, all with the same <c>Portal:PublicUrl</c> as behind one load balancer. Everything is stopped (killed) and
/// dropped at the end.
/// </summary>
public sealed class ScaleOutCluster : IAsyncLifetime
{
    /// <summary>How many instances run.</summary>
    public const int InstanceCount = 3;

    /// <summary>The per-second API limit of the Free tier in this cluster (the rate-limit test's tenants are Free).</summary>
    public const int FreeTierRequestsPerSecond = 5;

    /// <summary>The bootstrap operator's password (the operator signs in without a second factor here).</summary>
    public const string OperatorPassword = "Scale-Out-Operator-2026";

    /// <summary>The address every instance is reached at, as behind one balancer (cookies are per host, not port).</summary>
    public const string PublicUrl = "http://127.0.0.1";

    private readonly string _directory = Directory.CreateTempSubdirectory("tenantportal-scaleout-").FullName;
    private readonly PortalProcess?[] _instances = new PortalProcess?[InstanceCount];
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <summary>The cluster as a class fixture makes it: every instance at <see cref="PublicUrl"/>.</summary>
    public ScaleOutCluster()
        : this(new Dictionary<string, string>())
    {
    }

    /// <summary>
    /// A cluster whose instances get <paramref name="settings"/> on top of (and over) the fixture's own, e.g. another
    /// <c>Portal:PublicUrl</c> and <c>ForwardedHeaders:KnownProxies</c> behind a proxy. Internal: xunit makes a class
    /// fixture with its one public constructor.
    /// </summary>
    internal ScaleOutCluster(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    /// <summary>The database every instance uses.</summary>
    public PostgreSqlTestDatabase Database { get; } = new();

    /// <summary>The Redis server every instance uses (the class's own: tests may flush it).</summary>
    public OwnRedisServer Redis { get; private set; } = null!;

    /// <summary>Instance <paramref name="index"/> (0 to <see cref="InstanceCount"/> - 1).</summary>
    public PortalProcess this[int index] => _instances[index] ?? throw new InvalidOperationException($"Instance {index} is not running.");

    /// <summary>The running instances.</summary>
    public IEnumerable<PortalProcess> Instances => _instances.OfType<PortalProcess>();

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        // As a deployment does: Hangfire's schema installed by the owner, the portal's role given its rows (deploy/postgres/roles.sql).
        await HangfirePostgreSqlStorage.InstallSchemaAsync(Database.OwnerConnectionString, CancellationToken.None);
        await ExecuteAsync($"""
            GRANT USAGE ON SCHEMA {HangfirePostgreSqlStorage.SchemaName} TO "{PostgreSqlTestDatabase.AppRole}";
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {HangfirePostgreSqlStorage.SchemaName} TO "{PostgreSqlTestDatabase.AppRole}";
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {HangfirePostgreSqlStorage.SchemaName} TO "{PostgreSqlTestDatabase.AppRole}";
            """);
        Redis = await OwnRedisServer.StartNewAsync();
        // Started together, as a deployment starts its replicas: each bootstraps the operator, registers the recurring jobs
        // and reads or creates the Data Protection key ring at the same moment.
        // Each kept as soon as it runs, so that the disposal stops it even when another fails to start.
        await Task.WhenAll(Enumerable.Range(0, InstanceCount).Select(async i => _instances[i] = await StartInstanceAsync(i)));
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in Instances)
            await instance.DisposeAsync();
        if (Redis is not null)
            await Redis.DisposeAsync();
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The temp folder is cleaned by the system.
        }
    }

    /// <summary>Kills instance <paramref name="index"/> with SIGKILL (kill -9): no shutdown, no flush, no goodbye.</summary>
    public async Task KillAsync(int index)
    {
        var instance = this[index];
        _instances[index] = null;
        await instance.DisposeAsync();
    }

    /// <summary>Starts instance <paramref name="index"/> again if it is not running (after <see cref="KillAsync"/>).</summary>
    public async Task EnsureRunningAsync(int index)
    {
        if (_instances[index] is null)
            _instances[index] = await StartInstanceAsync(index);
    }

    /// <summary>A new tenant (Active, created two months ago, no subscription) and an API key of it with every scope.</summary>
    public async Task<ScaleOutTenant> CreateTenantAsync(SubscriptionTier tier)
    {
        var slug = $"so-{Guid.NewGuid():N}"[..20];
        var secret = "tp_live_" + SecretHasher.NewToken();
        var now = DateTimeOffset.UtcNow;
        var tenant = new TenantBuilder().WithName(slug).WithSlug(slug).OnPlan(tier).WithStatus(TenantStatus.Active)
            .CreatedAt(PeriodMath.MonthStart(now).AddMonths(-2)).At(now).Unsubscribed().Build();
        await using var db = Database.CrossTenant();
        db.Tenants.Add(tenant);
        db.ApiKeys.Add(new ApiKey
        {
            TenantId = tenant.Id, Name = "scale-out", Prefix = secret[..ApiKey.PrefixLength], SecretHash = SecretHasher.Sha256Hex(secret),
            Scopes = string.Join(' ', ApiKeyScopes.All), CreatedAt = now, CreatedByUserId = "test",
        });
        await db.SaveChangesAsync();
        return new ScaleOutTenant(tenant.Id, slug, secret);
    }

    /// <summary>A new user with <see cref="SessionAccounts.Password"/> who is <paramref name="role"/> of the tenant; returns the email.</summary>
    public async Task<string> CreateMemberAsync(ScaleOutTenant tenant, TenantRole role)
    {
        var email = $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@scaleout.test";
        var user = new PortalUser
        {
            UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
            EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow, SecurityStamp = Guid.NewGuid().ToString("N"),
        };
        user.PasswordHash = new PasswordHasher<PortalUser>().HashPassword(user, SessionAccounts.Password);
        await using var db = Database.CrossTenant();
        db.Users.Add(user);
        db.Members.Add(new TenantMember { TenantId = tenant.Id, UserId = user.Id, Role = role, JoinedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return email;
    }

    /// <summary>An API client of instance <paramref name="index"/> sending the tenant's key.</summary>
    public HttpClient ApiClient(int index, ScaleOutTenant tenant)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = 64 })
        {
            BaseAddress = this[index].Address,
            Timeout = TestTimeouts.Generous,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        return client;
    }

    /// <summary>Runs <paramref name="sql"/> on the cluster's database as its owner (past row-level security) and returns the first column of every row.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(reader.GetFieldValue<T>(0));
        return rows;
    }

    /// <summary>Runs <paramref name="sql"/> (statements without results) on the cluster's database as its owner (past row-level security).</summary>
    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The tenant's stored usage events: client id and quantity.</summary>
    public async Task<List<(string ClientEventId, decimal Quantity)>> StoredEventsAsync(Guid tenantId)
    {
        await using var db = Database.ForTenant(tenantId);
        return (await db.UsageEvents.AsNoTracking().Select(e => new { e.ClientEventId, e.Quantity }).ToListAsync())
            .Select(e => (e.ClientEventId, e.Quantity)).ToList();
    }

    private async Task<PortalProcess> StartInstanceAsync(int index)
    {
        var name = ((char)('a' + index)).ToString();
        var home = Path.Combine(_directory, $"home-{name}");
        Directory.CreateDirectory(home);
        var settings = TestCertificates.Settings();
        settings["Database:Provider"] = "PostgreSql";
        // A pool of its own per instance, small: three instances and everyone else's tests share the server.
        settings["ConnectionStrings:Portal"] = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { MaxPoolSize = 30 }.ToString();
        settings["Hangfire:Storage"] = "PostgreSql";
        settings["Redis:Configuration"] = Redis.Configuration;
        settings["RateLimiting:Store"] = "Redis";
        settings["Metering:QuotaCache"] = "Redis";
        settings["Portal:PublicUrl"] = PublicUrl;
        settings["Operator:Password"] = OperatorPassword;
        settings["Operator:RequireTwoFactor"] = "false";
        settings["Demo:Seed"] = "false";
        settings["Email:PickupDirectory"] = Path.Combine(_directory, "mail");
        // The Free tier's limit is the one the rate-limit test measures; every other tenant may call as fast as it likes.
        settings["RateLimiting:RequestsPerSecond"] = "1000000";
        settings["RateLimiting:Tiers:Free"] = FreeTierRequestsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in _settings)
            settings[key] = value;
        // Run as deployed: from the publish folder, its appsettings.json and wwwroot (the static assets a browser needs).
        var dll = await PublishedPortal.DllAsync();
        settings["contentRoot"] = Path.GetDirectoryName(dll)!;
        var instance = await PortalProcess.StartAsync(_directory, settings, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["HOME"] = home,
            ["DOTNET_CLI_HOME"] = home,
        }, dll);
        try
        {
            await WaitUntilReadyAsync(instance);
        }
        catch (TimeoutException)
        {
            await instance.DisposeAsync();
            throw;
        }
        return instance;
    }

    private static async Task WaitUntilReadyAsync(PortalProcess instance)
    {
        using var client = new HttpClient { BaseAddress = instance.Address };
        using var timeout = new CancellationTokenSource(TestTimeouts.Generous);
        HttpStatusCode? last = null;
        while (!timeout.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync("/health/ready", timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
                last = response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // Not answering yet.
            }
            catch (OperationCanceledException)
            {
                break;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{instance.Address}health/ready did not answer 200 within {TestTimeouts.Generous} (last: {last}).");
    }
}
