using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data;

/// <summary>
/// The plan PostgreSQL makes for a tenant read as the portal sends it, under row-level security, on many tenants' rows. It is
/// planned as a generic plan (<c>plan_cache_mode = force_generic_plan</c>: the plan a prepared statement keeps reusing, without
/// the parameters' values, which is how SQL Server caches every statement): with the cross-tenant term in the text the plan
/// must serve both cases and scans every tenant's rows; without it the plan scans the tenant index.
/// </summary>
public sealed partial class TenantFilterPlanTests : IAsyncLifetime
{
    private const int Tenants = 20;
    private const int EventsPerTenant = 1_000;
    private readonly PostgreSqlTestDatabase _database = new();
    private Guid _tenantA;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using (var db = _database.CrossTenant())
        {
            var tenants = Enumerable.Range(0, Tenants).Select(_ => new TenantBuilder().Build()).ToList();
            db.Tenants.AddRange(tenants);
            await db.SaveChangesAsync();
            _tenantA = tenants[0].Id;
        }
        // As the owner (past the policies), in one statement: enough rows that a scan of every tenant costs more than the index.
        await using var owner = new NpgsqlConnection(_database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO "UsageEvents" ("TenantId", "ClientEventId", "Metric", "Quantity", "Timestamp", "ReceivedAt")
            SELECT t."Id", 'e-' || g, CASE WHEN g % 2 = 0 THEN 'ApiCalls' ELSE 'StorageGb' END, 1, now(), now()
            FROM "Tenants" AS t CROSS JOIN generate_series(1, {EventsPerTenant}) AS g;
            ANALYZE "UsageEvents";
            """, owner);
        await insert.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task TenantRead_AsSent_ScansTheTenantIndex_InAGenericPlan_UnderRowLevelSecurity()
    {
        var sent = new SentStatement();
        var tenant = new TenantContext();
        tenant.SetTenant(_tenantA);
        await using (var db = _database.CreateContext(tenant, sent))
        {
            var levels = await db.UsageEvents.Where(e => e.Metric == UsageMetric.StorageGb).Select(e => e.Quantity).ToListAsync();
            Assert.Equal(EventsPerTenant / 2, levels.Count);
        }

        var plan = await GenericPlanAsync(sent.Sql!, sent.Parameters, _tenantA);

        // A seek: the tenant index is entered at the tenant (its leading column is an index condition), no table scanned.
        Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal), plan);
        Assert.True(Regex.IsMatch(plan, @"Index Cond: \(.*""TenantId"" = \$\d"), plan);
        Assert.True(Regex.IsMatch(plan, @"Index (Only )?Scan (Backward )?using ""IX_UsageEvents_TenantId_|Bitmap Index Scan on ""IX_UsageEvents_TenantId_"), plan);
    }

    // PREPAREs the statement (its @names as $n) and EXPLAINs its execution with the generic plan, as the app role, in a
    // transaction carrying the tenant setting that row-level security reads.
    private async Task<string> GenericPlanAsync(string sql, IReadOnlyList<NpgsqlParameter> parameters, Guid tenantId)
    {
        var positions = parameters.Select((p, i) => (Name: p.ParameterName.TrimStart('@'), Position: i + 1)).ToDictionary(p => p.Name, p => p.Position);
        var numbered = ParameterName().Replace(sql, m => positions.TryGetValue(m.Groups[1].Value, out var position) ? $"${position}" : m.Value);
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await PostgreSqlTenantSetting.ApplyAsync(connection, transaction, tenantId, crossTenant: false, CancellationToken.None);
        await using (var setup = new NpgsqlCommand("SET LOCAL plan_cache_mode = force_generic_plan", connection, transaction))
            await setup.ExecuteNonQueryAsync();
        var types = string.Join(", ", parameters.Select(p => TypeOf(p.Value)));
        await using (var prepare = new NpgsqlCommand($"PREPARE tenant_read ({types}) AS {numbered}", connection, transaction))
            await prepare.ExecuteNonQueryAsync();
        // EXPLAIN takes no bind parameters: the values go in as literals (formatted here from Guids, bools and enum names).
        var arguments = string.Join(", ", parameters.Select(p => Literal(p.Value)));
        await using var explain = new NpgsqlCommand($"EXPLAIN EXECUTE tenant_read({arguments})", connection, transaction);
        var lines = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                lines.Add(reader.GetString(0));
        }
        await transaction.RollbackAsync();
        return string.Join('\n', lines);
    }

    private static string Literal(object? value) => value switch
    {
        Guid g => $"'{g:D}'",
        bool b => b ? "true" : "false",
        string text when text.All(char.IsAsciiLetterOrDigit) => $"'{text}'",
        int or long => value.ToString()!,
        _ => throw new ArgumentException($"No literal for {value?.GetType().Name ?? "null"} in this test."),
    };

    private static string TypeOf(object? value) => value switch
    {
        Guid => "uuid",
        bool => "boolean",
        string => "text",
        int => "integer",
        long => "bigint",
        decimal => "numeric",
        DateTimeOffset or DateTime => "timestamptz",
        _ => throw new ArgumentException($"No PostgreSQL type for {value?.GetType().Name ?? "null"} in this test."),
    };

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterName();

    // The tenant read as it was sent, after every interceptor: the statement after the tenant-setting prefix, and its parameters.
    private sealed class SentStatement : DbCommandInterceptor
    {
        public string? Sql { get; private set; }

        public List<NpgsqlParameter> Parameters { get; } = [];

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            const string prefixEnd = "$tenantportal_rls$;";
            var text = command.CommandText;
            Sql = text[(text.LastIndexOf(prefixEnd, StringComparison.Ordinal) + prefixEnd.Length)..].Trim();
            Parameters.AddRange(command.Parameters.Cast<NpgsqlParameter>().Select(p => new NpgsqlParameter(p.ParameterName, p.NpgsqlDbType) { Value = p.Value }));
            return ValueTask.FromResult(result);
        }
    }
}
