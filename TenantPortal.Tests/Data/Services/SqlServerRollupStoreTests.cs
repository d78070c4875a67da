using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// SQL Server's rollup batches, checked without a server: T-SQL of SQL Server 2019 (no DATETRUNC), buckets as whole
/// hours, days and months from one origin, the upserts in chunks small enough not to escalate to a table lock, and the
/// run's command timeout on every statement.
/// </summary>
public partial class SqlServerRollupStoreTests
{
    // SQL Server escalates a statement's row and key locks on one table to a table lock at about this many.
    private const int LockEscalationThreshold = 5_000;

    // Locks one bucket's upsert can take under HOLDLOCK: its key and key-range lock on the clustered and the unique index.
    private const int LocksPerBucket = 4;

    // The functions the batches may call: each exists in SQL Server 2016 and later.
    private static readonly HashSet<string> SqlServer2019Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        "DATEADD", "DATEDIFF", "SWITCHOFFSET", "TODATETIMEOFFSET", "SUM", "COUNT_BIG", "ROW_NUMBER",
    };

    public static TheoryData<string, string> Granularities => new() { { "Hour", "hour" }, { "Day", "day" }, { "Month", "month" } };

    public static TheoryData<string> Parts => new() { "hour", "day", "month" };

    [Fact]
    public async Task AggregateAsync_SendsBatchesWithoutDatetrunc_ThatParseAtSqlServer2019_WithTheRunsTimeout()
    {
        var connection = new RecordingDbConnection();

        await new SqlServerRollupStore().AggregateAsync(connection, null!, 10, 20, DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Equal(3, connection.Commands.Count);
        Assert.All(connection.Commands, command =>
        {
            Assert.DoesNotContain("DATETRUNC", command.Text, StringComparison.OrdinalIgnoreCase);
            var script = Parse(command.Text);
            var calls = new FunctionCalls();
            script.Accept(calls);
            Assert.DoesNotContain(calls.Names, n => !SqlServer2019Functions.Contains(n));
            Assert.Equal((int)SqlServerRollupStore.RunCommandTimeout.TotalSeconds, command.Timeout);
        });
    }

    [Theory]
    [MemberData(nameof(Parts))]
    public void BucketSql_AddsBackTheWholePartsCountedFromOneOrigin(string part)
    {
        var sql = SqlServerRollupStore.BucketSql(part, "[Timestamp]");

        Parse($"SELECT {sql} FROM [UsageEvents];");
        var bucket = BucketShape().Match(sql);
        Assert.True(bucket.Success, sql);
        Assert.Equal(part, bucket.Groups["part"].Value);
        Assert.Equal(part, bucket.Groups["again"].Value);
        Assert.Equal(bucket.Groups["origin"].Value, bucket.Groups["back"].Value);
        // The origin is a month's (so a day's and an hour's) first instant, and the value is the UTC time.
        Assert.Contains("'2000-01-01T00:00:00'", bucket.Groups["origin"].Value, StringComparison.Ordinal);
        Assert.Contains("SWITCHOFFSET([Timestamp], '+00:00')", bucket.Groups["value"].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void BucketCounts_FitDatediffsInt_OverDatetime2sWholeRange()
    {
        // DATEDIFF returns int: the hours between the origin and either end of datetime2 must fit it.
        var origin = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.True((DateTime.MaxValue - origin).TotalHours < int.MaxValue);
        Assert.True((origin - DateTime.MinValue).TotalHours < int.MaxValue);
    }

    [Theory]
    [MemberData(nameof(Granularities))]
    public void AggregateSql_UpsertsInChunks_BelowLockEscalation(string granularity, string part)
    {
        var script = Parse(SqlServerRollupStore.AggregateSql(granularity, part));
        var statements = new ChunkedStatements();
        script.Accept(statements);

        Assert.Single(statements.Merges);
        Assert.Single(statements.Updates);
        Assert.Equal(2, statements.WhileLoops);
        Assert.Equal(statements.Merges.Count + statements.Updates.Count, statements.InsideWhile);
        Assert.True(SqlServerRollupStore.MergeChunkRows * LocksPerBucket < LockEscalationThreshold,
            "a chunk's upsert must stay below the locks at which SQL Server escalates to a table lock");
        Assert.Contains($"[Seq] <= @at + {SqlServerRollupStore.MergeChunkRows}", SqlServerRollupStore.AggregateSql(granularity, part), StringComparison.Ordinal);
    }

    [Fact]
    public void RunSizeAndTimeout_AreSizedPerProvider()
    {
        IRollupStore[] stores = [new SqliteRollupStore(), new SqlServerRollupStore(), new PostgreSqlRollupStore()];

        Assert.Equal([1_000_000, 100_000, 500_000], stores.Select(s => s.MaxEventsPerRun));
        Assert.Equal([TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)], stores.Select(s => s.CommandTimeout));
        // Every server store's statements may outlast the clients' 30 s default.
        Assert.All(stores, s => Assert.True(s.CommandTimeout > TimeSpan.FromSeconds(30)));
    }

    private static TSqlScript Parse(string sql)
    {
        var parser = new TSql150Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var script = (TSqlScript)parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}")) + "\n" + sql);
        return script;
    }

    [GeneratedRegex(@"^TODATETIMEOFFSET\(DATEADD\((?<part>\w+), DATEDIFF\((?<again>\w+), (?<origin>CAST\('[^']+' AS datetime2\(7\)\)), (?<value>CAST\(.+\))\), (?<back>CAST\('[^']+' AS datetime2\(7\)\))\), '\+00:00'\)$")]
    private static partial Regex BucketShape();

    private sealed class FunctionCalls : TSqlFragmentVisitor
    {
        public List<string> Names { get; } = [];
        public override void Visit(FunctionCall node) => Names.Add(node.FunctionName.Value);
    }

    private sealed class ChunkedStatements : TSqlFragmentVisitor
    {
        private int _depth;
        public List<MergeStatement> Merges { get; } = [];
        public List<UpdateStatement> Updates { get; } = [];
        public int WhileLoops { get; private set; }
        public int InsideWhile { get; private set; }

        public override void ExplicitVisit(WhileStatement node)
        {
            WhileLoops++;
            _depth++;
            base.ExplicitVisit(node);
            _depth--;
        }

        public override void Visit(MergeStatement node)
        {
            Merges.Add(node);
            if (_depth > 0)
                InsideWhile++;
        }

        public override void Visit(UpdateStatement node)
        {
            Updates.Add(node);
            if (_depth > 0)
                InsideWhile++;
        }
    }
}
