using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;
using PostgreSqlRowLevelSecurity = TenantPortal.Data.Migrations.PostgreSqlRowLevelSecurity;

namespace TenantPortal.Tests.Data;

/// <summary>
/// PostgreSQL's row-level security, run for real on the tests' server through the fixture's non-owner login: the database
/// itself keeps a tenant's transaction to its tenant's rows, every tenant-owned table is under a forced policy, and the
/// portal's services still work through it.
/// </summary>
public sealed class PostgreSqlRowLevelSecurityTests : IAsyncLifetime
{
    // Tables with a TenantId that the model does not filter, each with the reason it stays outside the policy (as on SQL Server).
    private static readonly Dictionary<string, string> NotTenantOwned = new()
    {
        ["StripeWebhookEvents"] = "the fleet-level Stripe inbox: written before its tenant is known, read by operators only",
        ["Notifications"] = "per user (a notice may name a tenant for its link); filtered by the user's id",
        ["FleetUsageSnapshots"] = "the operators' fleet read model: derived figures of every tenant, read and written only in the fleet's cross-tenant scope; deleted with its tenant",
    };

    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private readonly PostgreSqlTestDatabase _database = new();
    private Guid _tenantA;
    private Guid _tenantB;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.CrossTenant();
        var a = new TenantBuilder().Build();
        var b = new TenantBuilder().Build();
        db.Tenants.AddRange(a, b);
        db.UsageEvents.AddRange(
            new UsageEvent { TenantId = a.Id, ClientEventId = "a-1", Metric = UsageMetric.ApiCalls, Quantity = 1, Timestamp = At, ReceivedAt = At },
            new UsageEvent { TenantId = a.Id, ClientEventId = "a-2", Metric = UsageMetric.ApiCalls, Quantity = 2, Timestamp = At, ReceivedAt = At },
            new UsageEvent { TenantId = b.Id, ClientEventId = "b-1", Metric = UsageMetric.ApiCalls, Quantity = 7, Timestamp = At, ReceivedAt = At });
        db.AuditEntries.AddRange(
            new AuditEntry { TenantId = a.Id, Actor = "t", Action = "a.thing", OccurredAt = At },
            new AuditEntry { TenantId = b.Id, Actor = "t", Action = "b.thing", OccurredAt = At },
            new AuditEntry { TenantId = null, Actor = "t", Action = "fleet.thing", OccurredAt = At });
        await db.SaveChangesAsync();
        (_tenantA, _tenantB) = (a.Id, b.Id);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task RawSql_UnderTenantAsSetting_SeesOnlyAsRows()
    {
        await using var connection = await OpenAsync(_database.ConnectionString);
        await using var transaction = await connection.BeginTransactionAsync();
        await PostgreSqlTenantSetting.ApplyAsync(connection, transaction, _tenantA, crossTenant: false, CancellationToken.None);

        var events = await ColumnAsync<Guid>(connection, transaction, "SELECT \"TenantId\" FROM \"UsageEvents\"");
        var audit = await ColumnAsync<string>(connection, transaction, "SELECT \"Action\" FROM \"AuditEntries\"");

        Assert.Equal(2, events.Count);
        Assert.All(events, t => Assert.Equal(_tenantA, t));
        Assert.Equal(["a.thing"], audit);
    }

    [Fact]
    public async Task RawSql_WithoutASetting_SeesNoTenantsRow()
    {
        await using var connection = await OpenAsync(_database.ConnectionString);

        Assert.Equal(0L, await ScalarAsync<long>(connection, null, "SELECT count(*) FROM \"UsageEvents\""));
        Assert.Equal(0L, await ScalarAsync<long>(connection, null, "SELECT count(*) FROM \"AuditEntries\""));
        await using var owner = await OpenAsync(_database.OwnerConnectionString);
        Assert.Equal(3L, await ScalarAsync<long>(owner, null, "SELECT count(*) FROM \"UsageEvents\""));
    }

    [Fact]
    public async Task RawSql_UnderTheCrossTenantFlag_SeesEveryRow_FleetEntriesIncluded()
    {
        await using var connection = await OpenAsync(_database.ConnectionString);
        await using var transaction = await connection.BeginTransactionAsync();
        await PostgreSqlTenantSetting.ApplyAsync(connection, transaction, null, crossTenant: true, CancellationToken.None);

        Assert.Equal(3L, await ScalarAsync<long>(connection, transaction, "SELECT count(*) FROM \"UsageEvents\""));
        Assert.Equal(3L, await ScalarAsync<long>(connection, transaction, "SELECT count(*) FROM \"AuditEntries\""));
    }

    [Fact]
    public async Task InsertOfTenantBsRow_UnderTenantA_IsRefusedByTheDatabase()
    {
        await using var connection = await OpenAsync(_database.ConnectionString);
        await using var transaction = await connection.BeginTransactionAsync();
        await PostgreSqlTenantSetting.ApplyAsync(connection, transaction, _tenantA, crossTenant: false, CancellationToken.None);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO "UsageEvents" ("TenantId", "ClientEventId", "Metric", "Quantity", "Timestamp", "ReceivedAt")
            VALUES (@t, 'smuggled', 'ApiCalls', 1000, now(), now())
            """, connection, transaction);
        insert.Parameters.AddWithValue("t", _tenantB);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("row-level security", refused.MessageText, StringComparison.Ordinal);
        await transaction.RollbackAsync();
        await using var owner = await OpenAsync(_database.OwnerConnectionString);
        Assert.Equal(0L, await ScalarAsync<long>(owner, null, "SELECT count(*) FROM \"UsageEvents\" WHERE \"ClientEventId\" = 'smuggled'"));
    }

    [Fact]
    public async Task UpdateMovingAsRowToB_UnderTenantA_IsRefusedByTheDatabase()
    {
        await using var connection = await OpenAsync(_database.ConnectionString);
        await using var transaction = await connection.BeginTransactionAsync();
        await PostgreSqlTenantSetting.ApplyAsync(connection, transaction, _tenantA, crossTenant: false, CancellationToken.None);
        await using var update = new NpgsqlCommand("UPDATE \"AuditEntries\" SET \"TenantId\" = @b WHERE \"Action\" = 'a.thing'", connection, transaction);
        update.Parameters.AddWithValue("b", _tenantB);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("row-level security", refused.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAndDeleteOfTenantBsRows_UnderTenantA_ReachNothing()
    {
        await using var connection = await OpenAsync(_database.ConnectionString);
        await using var transaction = await connection.BeginTransactionAsync();
        await PostgreSqlTenantSetting.ApplyAsync(connection, transaction, _tenantA, crossTenant: false, CancellationToken.None);

        Assert.Equal(0L, await NonQueryAsync(connection, transaction, "UPDATE \"UsageEvents\" SET \"Quantity\" = 0 WHERE \"ClientEventId\" = 'b-1'"));
        Assert.Equal(0L, await NonQueryAsync(connection, transaction, "DELETE FROM \"AuditEntries\" WHERE \"Action\" IN ('b.thing', 'fleet.thing')"));
        await transaction.CommitAsync();
        await using var owner = await OpenAsync(_database.OwnerConnectionString);
        Assert.Equal(7m, await ScalarAsync<decimal>(owner, null, "SELECT \"Quantity\" FROM \"UsageEvents\" WHERE \"ClientEventId\" = 'b-1'"));
        Assert.Equal(3L, await ScalarAsync<long>(owner, null, "SELECT count(*) FROM \"AuditEntries\""));
    }

    [Fact]
    public async Task Prefix_WithoutAnExplicitTransaction_HoldsForTheCommandsStatements_AndEndsWithThem()
    {
        await using var connection = await OpenAsync(_database.ConnectionString);
        var notices = new List<string>();
        connection.Notice += (_, e) => notices.Add($"{e.Notice.Severity}: {e.Notice.MessageText}");

        // Npgsql sends a command's statements before one Sync: they share PostgreSQL's implicit transaction, so the
        // setting made by the first statement is seen by the next ones (here, two of them) …
        var counts = await ColumnAsync<long>(connection, null, PostgreSqlTenantSetting.Prefix(_tenantA, crossTenant: false)
            + "SELECT count(*) FROM \"UsageEvents\"; SELECT count(*) FROM \"AuditEntries\"");
        // … and it ends with them: the pooled connection's next command carries no tenant.
        var after = await ScalarAsync<long>(connection, null, "SELECT count(*) FROM \"UsageEvents\"");

        Assert.Equal([2L, 1L], counts);
        Assert.Equal(0L, after);
        Assert.Empty(notices);
    }

    [Fact]
    public async Task SetLocal_WithoutAnExplicitTransaction_WouldWarnOnEveryCommand_WhichIsWhyThePrefixUsesSetConfig()
    {
        await using var connection = await OpenAsync(_database.ConnectionString);
        var notices = new List<string>();
        connection.Notice += (_, e) => notices.Add(e.Notice.MessageText);

        var count = await ScalarAsync<long>(connection, null,
            $"SET LOCAL {PostgreSqlTenantSetting.TenantIdSetting} = '{_tenantA}'; SELECT count(*) FROM \"UsageEvents\"");

        Assert.Equal(2L, count);
        Assert.Contains(notices, n => n.Contains("SET LOCAL can only be used in transaction blocks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryTenantOwnedTable_HasForcedRowLevelSecurity_AndThePolicyOnBothSettings()
    {
        await using var owner = await OpenAsync(_database.OwnerConnectionString);

        var problems = await PolicyProblemsAsync(owner);

        Assert.True(problems.Count == 0, string.Join("\n", problems)
            + "\nPut every tenant-owned table under row-level security: in the PostgreSQL migration that creates the table, call "
            + "TenantPortal.Data.Migrations.PostgreSqlRowLevelSecurity.AddTable(migrationBuilder, \"<Table>\") in Up and RemoveTable in Down.");
    }

    [Fact]
    public async Task PolicyCheck_ReportsATenantOwnedTable_WithoutItsPolicy_OrWithoutForce()
    {
        await using var owner = await OpenAsync(_database.OwnerConnectionString);
        await NonQueryAsync(owner, null, $"DROP POLICY {PostgreSqlRowLevelSecurity.Policy} ON \"UsageRollups\"; ALTER TABLE \"Invoices\" NO FORCE ROW LEVEL SECURITY");

        var problems = await PolicyProblemsAsync(owner);

        Assert.Contains(problems, p => p.StartsWith("UsageRollups: no policy", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Invoices: row-level security is not forced", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryTableWithATenantId_IsTenantOwned_OrListedWithAReason()
    {
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        var withTenantId = db.Model.GetEntityTypes()
            .Where(e => !e.IsOwned() && e.GetTableName() is not null && e.FindProperty("TenantId") is not null)
            .Select(e => e.GetTableName()!);

        var undecided = withTenantId.Except(TenantOwnedTables()).Except(NotTenantOwned.Keys).ToList();

        Assert.True(undecided.Count == 0,
            $"Tables with a TenantId that are neither filtered by tenant (ITenantOwned, under row-level security) nor listed as not tenant-owned: {string.Join(", ", undecided)}");
    }

    [Fact]
    public async Task AppLogin_IsNoSuperuser_CannotBypassRowLevelSecurity_AndOwnsNothing()
    {
        await using var connection = await OpenAsync(_database.ConnectionString);

        Assert.Equal(PostgreSqlTestDatabase.AppRole, await ScalarAsync<string>(connection, null, "SELECT current_user::text"));
        Assert.False(await ScalarAsync<bool>(connection, null, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        Assert.False(await ScalarAsync<bool>(connection, null, "SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user"));
        Assert.Equal(0L, await ScalarAsync<long>(connection, null, "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"));
        Assert.Equal(0L, await ScalarAsync<long>(connection, null, "SELECT count(*) FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"));
        // And so it can't switch the policy off: only the owner may alter the table.
        var refused = await Assert.ThrowsAsync<PostgresException>(() => NonQueryAsync(connection, null, "ALTER TABLE \"UsageEvents\" NO FORCE ROW LEVEL SECURITY"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task EfContext_ThroughTheInterceptor_IsHeldToItsTenant_EvenWithTheQueryFiltersIgnored()
    {
        await using var db = _database.ForTenant(_tenantA);

        Assert.Equal(2, await db.UsageEvents.IgnoreQueryFilters().CountAsync());
        Assert.Equal(["a.thing"], await db.AuditEntries.IgnoreQueryFilters().Select(e => e.Action).ToListAsync());
        // A bulk update that forgot its tenant (filters ignored) moves nothing of B's, and can't move A's rows to B.
        Assert.Equal(0, await db.UsageEvents.IgnoreQueryFilters().Where(e => e.ClientEventId == "b-1").ExecuteUpdateAsync(s => s.SetProperty(e => e.Quantity, 0m)));
        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            db.UsageEvents.IgnoreQueryFilters().ExecuteUpdateAsync(s => s.SetProperty(e => e.TenantId, _tenantB)));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task EfContext_SavesInsertsUpdatesAndDeletes_UnderItsTenant()
    {
        await using (var db = _database.ForTenant(_tenantA))
        {
            db.AuditEntries.Add(new AuditEntry { TenantId = _tenantA, Actor = "t", Action = "a.saved", OccurredAt = At });
            await db.SaveChangesAsync();
            var saved = await db.AuditEntries.SingleAsync(e => e.Action == "a.saved");
            saved.Actor = "changed";
            db.AuditEntries.Remove(await db.AuditEntries.SingleAsync(e => e.Action == "a.thing"));
            await db.SaveChangesAsync();
        }

        await using var check = _database.ForTenant(_tenantA);
        Assert.Equal(["changed"], await check.AuditEntries.Select(e => e.Actor).ToListAsync());
    }

    [Fact]
    public void EfContext_SynchronousQueriesAndSaves_CarryTheTenantToo()
    {
        using (var db = _database.ForTenant(_tenantB))
        {
            Assert.Equal(1, db.UsageEvents.IgnoreQueryFilters().Count());
            db.AuditEntries.Add(new AuditEntry { TenantId = _tenantB, Actor = "t", Action = "b.sync", OccurredAt = At });
            db.SaveChanges();
        }

        using var check = _database.ForTenant(_tenantB);
        Assert.Equal(["b.sync", "b.thing"], check.AuditEntries.IgnoreQueryFilters().Select(e => e.Action).OrderBy(a => a).ToList());
    }

    [Fact]
    public async Task PortalServices_FromAddDataServices_IngestRollUpAndCheckQuota_ThroughRowLevelSecurity()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Path.GetTempPath(), EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:Portal"] = _database.ConnectionString,
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddDataServices();
        await using var services = builder.Services.BuildServiceProvider();
        Assert.NotNull(services.GetService<PostgreSqlTenantSettingInterceptor>());
        var now = DateTimeOffset.UtcNow;

        foreach (var (tenant, quantity) in new[] { (_tenantA, 5m), (_tenantB, 11m) })
        {
            await using var scope = services.CreateAsyncScope();
            var ingested = await scope.ServiceProvider.GetRequiredService<UsageIngestionService>().IngestAsync(tenant,
                [new UsageEventInput($"live-{tenant:N}", UsageMetric.ApiCalls, quantity, now)], CancellationToken.None);
            Assert.True(ingested.IsSuccess);
            Assert.Equal(1, ingested.Value.Accepted);
        }
        await using (var scope = services.CreateAsyncScope())
        {
            var run = await scope.ServiceProvider.GetRequiredService<MeteringRollupService>().RunAsync(CancellationToken.None);
            Assert.True(run.ToEventId > run.FromEventId);
        }
        await using (var scope = services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(_tenantA);
            var decision = await scope.ServiceProvider.GetRequiredService<QuotaService>().CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None);
            Assert.True(decision.IsSuccess);
            Assert.Equal(5m, decision.Value.Used);
        }

        await using var owner = await OpenAsync(_database.OwnerConnectionString);
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var rolledUp = await ColumnAsync<decimal>(owner, null, $"""
            SELECT "Sum" FROM "UsageRollups" WHERE "Granularity" = 'Month' AND "Metric" = 'ApiCalls' AND "PeriodStart" = '{month:O}'::timestamptz ORDER BY "Sum"
            """);
        Assert.Equal([5m, 11m], rolledUp);
    }

    [Fact]
    public async Task RollupStore_InATransactionWithNoSettingYet_RollsUpEveryTenantsEvents()
    {
        await using var connection = await OpenAsync(_database.ConnectionString);
        await using var transaction = await connection.BeginTransactionAsync();

        await new PostgreSqlRollupStore().AggregateAsync(connection, transaction, 0, long.MaxValue, DateTimeOffset.UtcNow, CancellationToken.None);
        await transaction.CommitAsync();

        await using var owner = await OpenAsync(_database.OwnerConnectionString);
        var sums = await ColumnAsync<decimal>(owner, null, "SELECT \"Sum\" FROM \"UsageRollups\" WHERE \"Granularity\" = 'Month' ORDER BY \"Sum\"");
        Assert.Equal([3m, 7m], sums);
    }

    // What is wrong with row-level security on this database, one line per table: the tables of the tenant-owned entities of
    // the EF model must have it enabled and forced, and carry the policy for all commands with both conditions.
    private static async Task<List<string>> PolicyProblemsAsync(NpgsqlConnection owner)
    {
        var state = new Dictionary<string, (bool Enabled, bool Forced)>();
        await using (var command = new NpgsqlCommand("""
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
            """, owner))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                state[reader.GetString(0)] = (reader.GetBoolean(1), reader.GetBoolean(2));
        var policies = new Dictionary<string, List<(string Name, string Command, string? Using, string? Check)>>();
        await using (var command = new NpgsqlCommand("SELECT tablename::text, policyname::text, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public'", owner))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
            {
                if (!policies.TryGetValue(reader.GetString(0), out var list))
                    policies[reader.GetString(0)] = list = [];
                list.Add((reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }

        var problems = new List<string>();
        foreach (var table in TenantOwnedTables().Order())
        {
            if (!state.TryGetValue(table, out var s))
            {
                problems.Add($"{table}: no such table in the migrated database");
                continue;
            }
            if (!s.Enabled)
                problems.Add($"{table}: row-level security is not enabled");
            if (!s.Forced)
                problems.Add($"{table}: row-level security is not forced (the owner would pass it)");
            var policy = policies.GetValueOrDefault(table)?.SingleOrDefault(p => p.Name == PostgreSqlRowLevelSecurity.Policy);
            if (policy is not { } p)
            {
                problems.Add($"{table}: no policy {PostgreSqlRowLevelSecurity.Policy}");
                continue;
            }
            if (p.Command != "ALL")
                problems.Add($"{table}: the policy covers {p.Command}, not ALL commands");
            foreach (var (what, condition) in new[] { ("USING", p.Using), ("WITH CHECK", p.Check) })
            {
                if (condition is null
                    || !condition.Contains(PostgreSqlTenantSetting.TenantIdSetting, StringComparison.Ordinal)
                    || !condition.Contains(PostgreSqlTenantSetting.CrossTenantSetting, StringComparison.Ordinal)
                    || !condition.Contains("\"TenantId\"", StringComparison.Ordinal))
                    problems.Add($"{table}: the policy's {what} is '{condition}', not the tenant condition on both settings");
            }
        }
        return problems;
    }

    // The tables of the entities the EF model filters by tenant: the ITenantOwned entities and the audit log.
    private static HashSet<string> TenantOwnedTables()
    {
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        return db.Model.GetEntityTypes()
            .Where(e => !e.IsOwned() && e.GetTableName() is not null && e.FindProperty("TenantId") is not null)
            .Where(e => typeof(ITenantOwned).IsAssignableFrom(e.ClrType) || e.GetDeclaredQueryFilters().Count > 0)
            .Select(e => e.GetTableName()!)
            .ToHashSet();
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> NonQueryAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return await command.ExecuteNonQueryAsync();
    }

    // The first column of every row of every result set of the command.
    private static async Task<List<T>> ColumnAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        do
        {
            while (await reader.ReadAsync())
                values.Add(reader.GetFieldValue<T>(0));
        }
        while (await reader.NextResultAsync());
        return values;
    }
}
