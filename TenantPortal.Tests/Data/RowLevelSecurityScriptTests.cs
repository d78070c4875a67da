using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using TenantPortal.Core.Common;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;
using RowLevelSecurity = TenantPortal.Data.Migrations.RowLevelSecurity;

namespace TenantPortal.Tests.Data;

/// <summary>
/// The SQL Server migrations as <c>dotnet ef migrations script --idempotent</c> writes them, checked without a server:
/// valid T-SQL (dynamic SQL included), and a row-level security policy over every tenant-owned table of the model.
/// </summary>
public class RowLevelSecurityScriptTests
{
    // Tables with a TenantId that the model does not filter, each with the reason it stays outside the policy.
    private static readonly Dictionary<string, string> NotTenantOwned = new()
    {
        ["StripeWebhookEvents"] = "the fleet-level Stripe inbox: written before its tenant is known, read by operators only",
        ["Notifications"] = "per user (a notice may name a tenant for its link); filtered by the user's id",
        ["FleetUsageSnapshots"] = "the operators' fleet read model: derived figures of every tenant, read and written only in the fleet's cross-tenant scope; deleted with its tenant",
    };

    // Tables that belong to a user rather than a tenant: no TenantId, never under the policy (a session or an account
    // spans every workspace its user belongs to; the services filter them by user id).
    private static readonly Dictionary<string, string> UserOwned = new()
    {
        ["UserSessions"] = "a user's sign-in sessions, valid in every workspace of the user; read by session id or the user's own id",
        ["AspNetUsers"] = "accounts: a user may belong to many tenants, or none (operators)",
    };

    private static readonly SecurityPredicateOperation[] BlockOperations =
    [
        SecurityPredicateOperation.AfterInsert, SecurityPredicateOperation.AfterUpdate,
        SecurityPredicateOperation.BeforeUpdate, SecurityPredicateOperation.BeforeDelete,
    ];

    private static readonly Lazy<string> Script = new(() =>
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        return db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
    });

    [Fact]
    public void IdempotentScript_ParsesAsTSql_IncludingTheDynamicSqlItExecutes()
    {
        var script = Parse(Script.Value, "the idempotent migration script");

        var dynamicSql = DynamicSql(script);
        Assert.NotEmpty(dynamicSql);
        foreach (var sql in dynamicSql)
            Parse(sql, "EXEC(N'…') in the idempotent migration script");
    }

    [Fact]
    public void SecurityPolicy_FiltersAndBlocksEveryTenantOwnedTable()
    {
        var predicates = PolicyPredicates();
        var expected = TenantOwnedTables();

        var advice = $"Put every tenant-owned table under row-level security: in the migration that creates the table, call " +
                     $"TenantPortal.Data.Migrations.RowLevelSecurity.AddTable(migrationBuilder, \"<Table>\") in Up and RemoveTable in Down.";
        var filtered = predicates.Where(p => p.Type == SecurityPredicateType.Filter).Select(p => p.Table).ToHashSet();
        Assert.True(filtered.SetEquals(expected),
            $"FILTER predicates on [{string.Join(", ", filtered.Order())}], tenant-owned tables [{string.Join(", ", expected.Order())}]. {advice}");
        foreach (var operation in BlockOperations)
        {
            var blocked = predicates.Where(p => p.Type == SecurityPredicateType.Block && p.Operation == operation).Select(p => p.Table).ToHashSet();
            Assert.True(blocked.SetEquals(expected),
                $"BLOCK {operation} predicates on [{string.Join(", ", blocked.Order())}], tenant-owned tables [{string.Join(", ", expected.Order())}]. {advice}");
        }
        Assert.All(predicates, p => Assert.Equal($"{RowLevelSecurity.Schema}.{RowLevelSecurity.PredicateFunction}(TenantId)", p.Function));
    }

    [Fact]
    public void EveryTableWithATenantId_IsUnderThePolicy_OrListedWithAReason()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var withTenantId = db.Model.GetEntityTypes()
            .Where(e => !e.IsOwned() && e.GetTableName() is not null && e.FindProperty("TenantId") is not null)
            .Select(e => e.GetTableName()!)
            .ToHashSet();

        var undecided = withTenantId.Except(TenantOwnedTables()).Except(NotTenantOwned.Keys).ToList();

        Assert.True(undecided.Count == 0,
            $"Tables with a TenantId that are neither filtered by tenant (ITenantOwned, under the RLS policy) nor listed as not tenant-owned: {string.Join(", ", undecided)}");
    }

    [Fact]
    public void UserOwnedTables_HaveNoTenant_AndStayOutsideThePolicy()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var tables = db.Model.GetEntityTypes().Where(e => !e.IsOwned() && e.GetTableName() is not null).ToDictionary(e => e.GetTableName()!);
        var underPolicy = PolicyPredicates().Select(p => p.Table).ToHashSet();

        foreach (var (table, reason) in UserOwned)
        {
            Assert.True(tables.TryGetValue(table, out var entity), $"{table} ({reason}) is not in the model.");
            Assert.Null(entity.FindProperty("TenantId"));
            Assert.DoesNotContain(table, underPolicy);
        }
    }

    [Fact]
    public void PredicateFunction_ReadsTheTenantAndTheCrossTenantFlag_FromTheSessionContext()
    {
        var function = DynamicSql(Parse(Script.Value, "the idempotent migration script"))
            .Select(sql => Parse(sql, "dynamic SQL"))
            .SelectMany(f => Collect<CreateFunctionStatement>(f))
            .Single(f => f.Name.SchemaIdentifier?.Value == RowLevelSecurity.Schema && f.Name.BaseIdentifier.Value == RowLevelSecurity.PredicateFunction);

        Assert.IsType<SelectFunctionReturnType>(function.ReturnType);
        Assert.Contains(function.Options, o => o.OptionKind == FunctionOptionKind.SchemaBinding);
        var sessionKeys = Collect<FunctionCall>(function)
            .Where(c => c.FunctionName.Value.Equals("SESSION_CONTEXT", StringComparison.OrdinalIgnoreCase))
            .Select(c => Assert.IsType<StringLiteral>(Assert.Single(c.Parameters)).Value)
            .ToHashSet();
        Assert.Equal(new HashSet<string> { TenantSessionContext.TenantIdKey, TenantSessionContext.CrossTenantKey }, sessionKeys);
        Assert.Single(function.Parameters, p => p.VariableName.Value == "@TenantId" && ((SqlDataTypeReference)p.DataType).SqlDataTypeOption == SqlDataTypeOption.UniqueIdentifier);
    }

    [Fact]
    public void DownOfTheMigration_DropsPolicyFunctionAndSchema()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var migrations = db.GetService<IMigrationsAssembly>().Migrations.Keys.Order().ToList();
        var rls = migrations.Single(m => m.EndsWith("_RowLevelSecurity", StringComparison.Ordinal));
        var before = migrations[migrations.IndexOf(rls) - 1];

        var down = db.GetService<IMigrator>().GenerateScript(fromMigration: rls, toMigration: before);

        var statements = DynamicSql(Parse(down, "the Down script")).Select(s => s.Trim()).ToList();
        Assert.Equal(
            [$"DROP SECURITY POLICY [security].[tenant_isolation];", "DROP FUNCTION [security].[fn_tenant_access];", "DROP SCHEMA [security];"],
            statements);
    }

    [Fact]
    public void PredicateFunction_HasNoDisjunction_ButATenantBranchAndACrossTenantBranch()
    {
        var function = DynamicSql(Parse(Script.Value, "the idempotent migration script"))
            .Select(sql => Parse(sql, "dynamic SQL"))
            .SelectMany(f => Collect<CreateFunctionStatement>(f))
            .Single(f => f.Name.BaseIdentifier.Value == RowLevelSecurity.PredicateFunction);

        // An OR of the cross-tenant flag and the tenant's rows is one cached plan for both cases: a scan.
        Assert.DoesNotContain(Collect<BooleanBinaryExpression>(function), e => e.BinaryExpressionType == BooleanBinaryExpressionType.Or);
        var union = Assert.IsType<BinaryQueryExpression>(Assert.IsType<SelectFunctionReturnType>(function.ReturnType).SelectStatement.QueryExpression);
        Assert.Equal(BinaryQueryExpressionType.Union, union.BinaryQueryExpressionType);
        Assert.True(union.All, "UNION ALL: no sort or distinct over the branches.");
        var branches = new[] { union.FirstQueryExpression, union.SecondQueryExpression }.Select(b => Assert.IsType<QuerySpecification>(b)).ToList();
        // The tenant branch: only "@TenantId = CAST(SESSION_CONTEXT(N'TenantId') AS uniqueidentifier)", an equality that seeks.
        var tenant = Assert.IsType<BooleanComparisonExpression>(branches[0].WhereClause.SearchCondition);
        Assert.Equal(BooleanComparisonType.Equals, tenant.ComparisonType);
        Assert.Equal("@TenantId", Assert.IsType<VariableReference>(tenant.FirstExpression).Name);
        Assert.Equal(TenantSessionContext.TenantIdKey, SessionKeys(tenant.SecondExpression).Single());
        // The cross-tenant branch: the flag alone, no column (a start-up filter, evaluated once per execution).
        var cross = Assert.IsType<BooleanComparisonExpression>(branches[1].WhereClause.SearchCondition);
        Assert.Empty(Collect<VariableReference>(cross));
        Assert.Equal(TenantSessionContext.CrossTenantKey, SessionKeys(cross).Single());
    }

    [Fact]
    public void SeekableTenantPredicate_MovesEveryPredicate_AndItsDownRestoresTheFirstFunction()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var migrations = db.GetService<IMigrationsAssembly>().Migrations.Keys.Order().ToList();
        var seekable = migrations.Single(m => m.EndsWith("_SqlServerSeekableTenantPredicate", StringComparison.Ordinal));
        var before = migrations[migrations.IndexOf(seekable) - 1];
        var migrator = db.GetService<IMigrator>();

        var up = DynamicSql(Parse(migrator.GenerateScript(fromMigration: before, toMigration: seekable), "the Up script")).Select(s => s.Trim()).ToList();
        var down = DynamicSql(Parse(migrator.GenerateScript(fromMigration: seekable, toMigration: before), "the Down script")).Select(s => s.Trim()).ToList();

        Assert.Equal(3, up.Count);
        Assert.StartsWith($"CREATE FUNCTION [security].[{RowLevelSecurity.PredicateFunction}]", up[0], StringComparison.Ordinal);
        var altered = Collect<SecurityPolicyStatement>(Parse(up[1], "the ALTER SECURITY POLICY")).Single().SecurityPredicateActions;
        Assert.All(altered, a => Assert.Equal(SecurityPredicateActionType.Alter, a.ActionType));
        Assert.All(altered, a => Assert.Equal(RowLevelSecurity.PredicateFunction, a.FunctionCall.FunctionName.Value));
        // The tables under the policy then: later migrations add theirs with the seekable function already.
        var assembly = db.GetService<IMigrationsAssembly>();
        var tablesThen = assembly.CreateMigration(assembly.Migrations[seekable], db.Database.ProviderName!).TargetModel!
            .GetEntityTypes().Select(e => e.GetTableName()).ToHashSet();
        Assert.Equal(TenantOwnedTables().Count(tablesThen.Contains) * (1 + BlockOperations.Length), altered.Count);
        Assert.Equal($"DROP FUNCTION [security].[{RowLevelSecurity.FirstPredicateFunction}];", up[2]);
        Assert.Equal(3, down.Count);
        Assert.StartsWith($"CREATE FUNCTION [security].[{RowLevelSecurity.FirstPredicateFunction}]", down[0], StringComparison.Ordinal);
        Assert.All(Collect<SecurityPolicyStatement>(Parse(down[1], "the ALTER SECURITY POLICY")).Single().SecurityPredicateActions,
            a => Assert.Equal(RowLevelSecurity.FirstPredicateFunction, a.FunctionCall.FunctionName.Value));
        Assert.Equal($"DROP FUNCTION [security].[{RowLevelSecurity.PredicateFunction}];", down[2]);
    }

    private static IEnumerable<string> SessionKeys(TSqlFragment fragment) =>
        Collect<FunctionCall>(fragment)
            .Where(c => c.FunctionName.Value.Equals("SESSION_CONTEXT", StringComparison.OrdinalIgnoreCase))
            .Select(c => Assert.IsType<StringLiteral>(Assert.Single(c.Parameters)).Value);

    // The tables of the entities the EF model filters by tenant: the ITenantOwned entities and the audit log.
    private static HashSet<string> TenantOwnedTables()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        return db.Model.GetEntityTypes()
            .Where(e => !e.IsOwned() && e.GetTableName() is not null && e.FindProperty("TenantId") is not null)
            .Where(e => typeof(ITenantOwned).IsAssignableFrom(e.ClrType) || e.GetDeclaredQueryFilters().Count > 0)
            .Select(e => e.GetTableName()!)
            .ToHashSet();
    }

    private sealed record Predicate(SecurityPredicateType Type, SecurityPredicateOperation Operation, string Table, string Function);

    // Every ADD predicate of the policy, as created and then altered by later migrations (a DROP takes one away again).
    private static List<Predicate> PolicyPredicates()
    {
        var predicates = new List<Predicate>();
        foreach (var sql in DynamicSql(Parse(Script.Value, "the idempotent migration script")))
        {
            foreach (var policy in Collect<SecurityPolicyStatement>(Parse(sql, "dynamic SQL")))
            {
                Assert.Equal($"{RowLevelSecurity.Schema}.{RowLevelSecurity.Policy}", $"{policy.Name.SchemaIdentifier?.Value}.{policy.Name.BaseIdentifier.Value}");
                foreach (var action in policy.SecurityPredicateActions)
                {
                    var table = action.TargetObjectName.BaseIdentifier.Value;
                    if (action.ActionType == SecurityPredicateActionType.Drop)
                    {
                        predicates.RemoveAll(p => p.Type == action.SecurityPredicateType && p.Table == table && p.Operation == action.SecurityPredicateOperation);
                        continue;
                    }
                    var call = action.FunctionCall;
                    var function = $"{call.CallTarget switch { MultiPartIdentifierCallTarget t => string.Join(".", t.MultiPartIdentifier.Identifiers.Select(i => i.Value)) + ".", _ => "" }}"
                                   + $"{call.FunctionName.Value}({string.Join(",", call.Parameters.OfType<ColumnReferenceExpression>().Select(c => c.MultiPartIdentifier.Identifiers.Last().Value))})";
                    if (action.ActionType == SecurityPredicateActionType.Alter)
                    {
                        // ALTER changes the function of a predicate that exists: exactly one.
                        Assert.Equal(1, predicates.RemoveAll(p => p.Type == action.SecurityPredicateType && p.Table == table && p.Operation == action.SecurityPredicateOperation));
                    }
                    predicates.Add(new Predicate(action.SecurityPredicateType, action.SecurityPredicateOperation, table, function));
                }
            }
        }
        return predicates;
    }

    private static TSqlFragment Parse(string sql, string what)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var fragment = parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0,
            $"{what} is not valid T-SQL: {string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}"))}");
        return fragment;
    }

    // The SQL run by EXEC(N'…'): the migrations wrap the statements that must start their batch in it. A string built
    // with a variable is EF Core's own (an ALTER COLUMN first drops the column's default constraint, whose name it looks
    // up: EXEC(N'ALTER TABLE … DROP CONSTRAINT ' + @var + ';')): not ours to parse, and not whole without the variable.
    private static List<string> DynamicSql(TSqlFragment fragment) =>
        Collect<ExecuteStatement>(fragment)
            .Select(e => e.ExecuteSpecification.ExecutableEntity)
            .OfType<ExecutableStringList>()
            .Where(list => list.Strings.All(s => s is StringLiteral))
            .Select(list => string.Concat(list.Strings.OfType<StringLiteral>().Select(s => s.Value)))
            .ToList();

    private static List<T> Collect<T>(TSqlFragment fragment) where T : TSqlFragment
    {
        var collector = new Collector<T>();
        fragment.Accept(collector);
        return collector.Found;
    }

    private sealed class Collector<T> : TSqlFragmentVisitor where T : TSqlFragment
    {
        public List<T> Found { get; } = [];

        public override void Visit(TSqlFragment node)
        {
            if (node is T match)
                Found.Add(match);
            base.Visit(node);
        }
    }
}
