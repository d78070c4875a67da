using Microsoft.EntityFrameworkCore;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// SQL Server's ingest statements, checked without a server on the commands the store sends: the ids in one ordinal
/// (binary) order across every statement of a batch, so that two batches of one tenant take their key-range locks in
/// the same order and can't deadlock; an id repeated in the batch sent once; the probe comparing under the binary
/// collation; valid T-SQL.
/// </summary>
public class SqlServerUsageEventStoreTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static UsageEventInput Event(string id, decimal quantity = 1) => new(id, UsageMetric.ApiCalls, quantity, At);

    private static async Task<List<RecordedCommand>> InsertStatementsAsync(IReadOnlyList<UsageEventInput> events)
    {
        var connection = new RecordingDbConnection();
        var transaction = await connection.BeginTransactionAsync();
        var store = new SqlServerUsageEventStore(new NoContexts(), new SqlServerUsageCommitBarrier());

        await store.InsertAsync(connection, transaction, Guid.NewGuid(), events, At, CancellationToken.None);

        // Each insert comes after the session context that row-level security reads, in the same command.
        return connection.Commands.Where(c => c.Text.Contains("INSERT INTO [UsageEvents]", StringComparison.Ordinal)).ToList();
    }

    // The ids one statement carries, in the order of its VALUES rows (@c0, @c1, …).
    private static List<string> Ids(RecordedCommand command) =>
        Enumerable.Range(0, command.Parameters.Count).TakeWhile(i => command.Parameters.ContainsKey($"@c{i}"))
            .Select(i => (string)command.Parameters[$"@c{i}"]!).ToList();

    [Fact]
    public async Task InsertAsync_SendsTheIdsInOrdinalOrder_AcrossAllItsStatements()
    {
        // 1,000 ids in arrival order that is not their order: mixed case, digits, punctuation, non-ASCII.
        var ids = Enumerable.Range(0, 1_000).Select(i => (i % 5) switch
        {
            0 => $"evt-{i:D4}",
            1 => $"EVT-{i:D4}",
            2 => $"Évt-{i}",
            3 => $"_{i * 7919 % 1000}",
            _ => $"z{i}~",
        }).ToList();
        var shuffled = ids.OrderBy(id => id.GetHashCode(StringComparison.Ordinal)).ThenBy(id => id, StringComparer.Ordinal).ToList();

        var statements = await InsertStatementsAsync(shuffled.Select(id => Event(id)).ToList());

        Assert.Equal(3, statements.Count);
        Assert.All(statements, s => Assert.InRange(Ids(s).Count, 1, 400));
        // Ordinal order is SQL Server's Latin1_General_100_BIN2 order for nvarchar (UTF-16 code units), the index's order:
        // the first statement holds the lowest ids, the last the highest, each in order.
        Assert.Equal(ids.Order(StringComparer.Ordinal), statements.SelectMany(Ids));
    }

    [Fact]
    public async Task InsertAsync_SendsAnIdRepeatedInTheBatchOnce_WithItsFirstOccurrence()
    {
        var statements = await InsertStatementsAsync([Event("b", 1), Event("a", 2), Event("b", 3), Event("B", 4), Event("a", 5)]);

        var statement = Assert.Single(statements);
        Assert.Equal(["B", "a", "b"], Ids(statement));
        // Each id's row carries the quantity of its first occurrence in the batch.
        Assert.Equal([4m, 2m, 1m], Enumerable.Range(0, 3).Select(i => (decimal)statement.Parameters[$"@q{i}"]!));
    }

    [Fact]
    public async Task InsertAsync_SendsOneStatementPerFourHundredDistinctIds_WhenTheBatchRepeatsIds()
    {
        // 800 rows, 400 distinct ids: one statement, not two (a repeated id would break the unique index within a statement).
        var events = Enumerable.Range(0, 800).Select(i => Event($"id-{i % 400:D3}")).ToList();

        var statements = await InsertStatementsAsync(events);

        var statement = Assert.Single(statements);
        Assert.Equal(400, Ids(statement).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(400, Ids(statement).Count);
    }

    [Fact]
    public async Task InsertAsync_ProbesTheIndexUnderTheBinaryCollation_InValidTSql()
    {
        var statement = Assert.Single(await InsertStatementsAsync([Event("abc"), Event("ABC")]));

        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(statement.Text);
        var script = parser.Parse(reader, out var errors);
        Assert.Empty(errors);
        var visitor = new ComparisonVisitor();
        script.Accept(visitor);
        // The NOT EXISTS probe compares the column with the row's id under Latin1_General_100_BIN2 (the column's own
        // collation): case- and accent-sensitive, so abc and ABC are two ids, as the unique index says.
        var probe = Assert.Single(visitor.Comparisons, c => c.FirstExpression is ColumnReferenceExpression column
            && column.MultiPartIdentifier.Identifiers[^1].Value == "ClientEventId");
        var collated = Assert.IsAssignableFrom<PrimaryExpression>(probe.SecondExpression);
        Assert.Equal("Latin1_General_100_BIN2", collated.Collation?.Value);
    }

    private sealed class ComparisonVisitor : TSqlFragmentVisitor
    {
        public List<BooleanComparisonExpression> Comparisons { get; } = [];
        public override void Visit(BooleanComparisonExpression node) => Comparisons.Add(node);
    }

    // InsertAsync works on the connection it is given; the store's contexts are not used.
    private sealed class NoContexts : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => throw new NotSupportedException();
    }
}
