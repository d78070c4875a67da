using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated PostgreSQL database per test class instance on the tests' server (<see cref="TestServers"/>); dropped
/// afterwards. The schema is migrated once per migration set into a template database, and each test database is a
/// copy of it (<c>CREATE DATABASE … TEMPLATE</c>), which takes a fraction of a migration. Contexts are configured as the
/// portal's (<see cref="PostgreSqlContextOptions"/>: one data source, the retrying execution strategy, the tenant-setting interceptor).
/// As in production, the schema belongs to one role (here the server's superuser, which migrates the template) and the
/// tests work through another, <see cref="AppRole"/>: it owns nothing and can't bypass row-level security, so every test
/// through <see cref="ConnectionString"/> and the contexts runs under the policies. <see cref="OwnerConnectionString"/>
/// is for arranging or inspecting past them.
/// </summary>
public sealed class PostgreSqlTestDatabase : TestDatabase
{
    /// <summary>
    /// The login the tests work as, like the portal's in production: NOSUPERUSER NOBYPASSRLS, owner of no table, with
    /// SELECT/INSERT/UPDATE/DELETE on the tables and USAGE/SELECT on the sequences (granted in the template, which the copies inherit).
    /// </summary>
    public const string AppRole = "tenantportal_test_app";

    private const long TemplateLockKey = 4815162342;
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _template;
    private NpgsqlDataSource? _dataSource;
    private bool _created;

    public PostgreSqlTestDatabase() => Name = $"tp_test_{Guid.NewGuid():N}";

    /// <inheritdoc />
    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    /// <summary>The database's name.</summary>
    public string Name { get; }

    /// <summary>A connection string to this database as <see cref="AppRole"/>: what the portal's login may do, under row-level security.</summary>
    public override string ConnectionString =>
        new NpgsqlConnectionStringBuilder(TestServers.PostgreSql) { Database = Name, Pooling = true, Username = AppRole, Password = null }.ToString();

    /// <summary>A connection string to this database as the server's superuser (the owner of the schema; passes row-level security).</summary>
    public string OwnerConnectionString => new NpgsqlConnectionStringBuilder(TestServers.PostgreSql) { Database = Name, Pooling = true }.ToString();

    /// <summary>This database's data source as <see cref="AppRole"/> (the portal has one per process), shared by its contexts.</summary>
    public NpgsqlDataSource DataSource => _dataSource ??= new NpgsqlDataSourceBuilder(ConnectionString).Build();

    /// <summary>
    /// A context working for the given tenant context, as <see cref="AppRole"/>, with the tenant-setting interceptor
    /// that AddDataServices registers for PostgreSQL (row-level security sees the context's tenant).
    /// </summary>
    public override PostgreSqlPortalDbContext CreateContext(TenantContext tenant) => CreateContext(tenant, []);

    /// <inheritdoc />
    public override PostgreSqlPortalDbContext CreateContext(TenantContext tenant, params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<PostgreSqlPortalDbContext>();
        PostgreSqlContextOptions.Configure(options, DataSource).AddInterceptors([new PostgreSqlTenantSettingInterceptor(), .. interceptors]);
        return new(options.Options, tenant);
    }

    /// <summary>
    /// A copy of this (migrated, seeded) database, made the way each test database is made from the template: the copy
    /// needs no connection to this one open, so this database's idle connections are closed first.
    /// </summary>
    public override PostgreSqlTestDatabase Copy()
    {
        _dataSource?.Clear();
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        NpgsqlConnection.ClearPool(new NpgsqlConnection(OwnerConnectionString));
        var copy = new PostgreSqlTestDatabase { _created = true };
        using var server = OpenServerAsync(async: false).AsTask().GetAwaiter().GetResult();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{copy.Name}\" TEMPLATE \"{Name}\"", server);
        command.ExecuteNonQuery();
        return copy;
    }

    public override async Task InitializeAsync()
    {
        if (_created)
            return;
        var template = await EnsureTemplateAsync();
        await ExecuteOnServerAsync($"CREATE DATABASE \"{Name}\" TEMPLATE \"{template}\"");
        _created = true;
    }

    public override async Task DisposeAsync()
    {
        if (_dataSource is not null)
            await _dataSource.DisposeAsync();
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        NpgsqlConnection.ClearPool(new NpgsqlConnection(OwnerConnectionString));
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    // The template is named after the last migration, so a new migration makes a new template; creating it is serialised
    // within the process (a lock) and across processes sharing the server (an advisory lock), and it is left in place.
    private static async Task<string> EnsureTemplateAsync()
    {
        if (_template is { } ready)
            return ready;
        await TemplateLock.WaitAsync();
        try
        {
            if (_template is { } made)
                return made;
            string lastMigration;
            using (var design = new PostgreSqlDesignTimeFactory().CreateDbContext([]))
                lastMigration = design.Database.GetMigrations().Last();
            var name = $"tp_template_{lastMigration.ToLowerInvariant()}";
            await using var server = await OpenServerAsync();
            await ExecuteAsync(server, $"SELECT pg_advisory_lock({TemplateLockKey})");
            try
            {
                await EnsureAppRoleAsync(server);
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", server);
                exists.Parameters.AddWithValue("n", name);
                if (await exists.ExecuteScalarAsync() is null)
                {
                    var building = name + "_building";
                    await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)");
                    await ExecuteAsync(server, $"CREATE DATABASE \"{building}\"");
                    var connectionString = new NpgsqlConnectionStringBuilder(TestServers.PostgreSql) { Database = building, Pooling = false }.ToString();
                    await using (var db = new PostgreSqlPortalDbContext(
                        new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql(connectionString).Options, new TenantContext()))
                        await db.Database.MigrateAsync();
                    await GrantAppRoleAsync(connectionString);
                    await ExecuteAsync(server, $"ALTER DATABASE \"{building}\" RENAME TO \"{name}\"");
                }
            }
            finally
            {
                await ExecuteAsync(server, $"SELECT pg_advisory_unlock({TemplateLockKey})");
            }
            return _template = name;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    // Created once per server (roles are server-wide), under the template's advisory lock; the tests' server trusts local logins.
    private static async Task EnsureAppRoleAsync(NpgsqlConnection server)
    {
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = @r", server);
        exists.Parameters.AddWithValue("r", AppRole);
        if (await exists.ExecuteScalarAsync() is null)
            await ExecuteAsync(server, $"CREATE ROLE \"{AppRole}\" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT");
    }

    // What the deployment grants the portal's login after migrating: data, not schema (the tables stay the owner's).
    private static async Task GrantAppRoleAsync(string templateConnectionString)
    {
        await using var template = new NpgsqlConnection(templateConnectionString);
        await template.OpenAsync();
        await ExecuteAsync(template, $"""
            GRANT USAGE ON SCHEMA public TO "{AppRole}";
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{AppRole}";
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{AppRole}";
            """);
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var server = await OpenServerAsync();
        await ExecuteAsync(server, sql);
    }

    /// <summary>
    /// A connection to the maintenance database of the tests' server (or <paramref name="server"/>); a server that can't be
    /// reached fails saying how to start it. Synchronous callers pass <c>async: false</c>, so the ValueTask has completed
    /// when it returns (no blocking on I/O).
    /// </summary>
    internal static async ValueTask<NpgsqlConnection> OpenServerAsync(bool async = true, string? server = null)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server ?? TestServers.PostgreSql) { Database = "postgres", Pooling = false }.ToString());
        try
        {
            if (async)
                await connection.OpenAsync();
            else
                connection.Open();
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            connection.Dispose();
            throw new InvalidOperationException($"The tests' PostgreSQL server can't be reached ({ex.Message}). {TestServers.StartHint}", ex);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
