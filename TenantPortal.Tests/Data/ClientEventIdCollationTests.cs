using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using TenantPortal.Core.Usage;
using TenantPortal.Data;

namespace TenantPortal.Tests.Data;

/// <summary>
/// A client event id is one exact string on every provider. On SQL Server that takes a binary collation on the column
/// (the default <c>SQL_Latin1_General_CP1_CI_AS</c> makes <c>abc</c> and <c>ABC</c> one key of the unique index): checked
/// on the model and on the migration script, without a server. SQLite and PostgreSQL compare bytes already.
/// </summary>
public class ClientEventIdCollationTests
{
    private const string Binary = "Latin1_General_100_BIN2";

    private static string? Collation(DbContext db) =>
        db.GetService<IDesignTimeModel>().Model.FindEntityType(typeof(UsageEvent))!.FindProperty(nameof(UsageEvent.ClientEventId))!.GetCollation();

    [Fact]
    public void SqlServerModel_GivesTheClientEventIdABinaryCollation()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);

        Assert.Equal(Binary, Collation(db));
    }

    [Fact]
    public void SqliteAndPostgreSqlModels_KeepTheirOwnBinaryDefault()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgreSqlDesignTimeFactory().CreateDbContext([]);

        Assert.Null(Collation(sqlite));
        Assert.Null(Collation(postgres));
    }

    [Fact]
    public void SqlServerScript_EndsWithTheColumnBinary_AndItsUniqueIndexOverIt()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var sql = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var script = parser.Parse(reader, out var errors);
        Assert.Empty(errors);
        var visitor = new UsageEventsDdl();
        script.Accept(visitor);

        // The column's last definition (CREATE TABLE, then any ALTER COLUMN) is binary.
        var last = Assert.IsType<SqlDataTypeReference>(visitor.ColumnDefinitions[^1].Type);
        Assert.Equal(Binary, visitor.ColumnDefinitions[^1].Collation?.Value);
        Assert.Equal(SqlDataTypeOption.NVarChar, last.SqlDataTypeOption);
        Assert.Equal("128", Assert.Single(last.Parameters).Value);
        Assert.False(visitor.ColumnDefinitions[^1].Nullable);
        // SQL Server can't alter the collation of an indexed column: the unique index is dropped before and made again after.
        var alteredAt = visitor.ColumnDefinitions[^1].At;
        Assert.Contains(visitor.IndexDrops, at => at < alteredAt);
        Assert.Contains(visitor.UniqueIndexCreations, at => at > alteredAt);
    }

    // What the script does to UsageEvents.ClientEventId and its unique index, in script order.
    private sealed class UsageEventsDdl : TSqlFragmentVisitor
    {
        private const string Index = "IX_UsageEvents_TenantId_ClientEventId";

        public List<(int At, DataTypeReference Type, Identifier? Collation, bool Nullable)> ColumnDefinitions { get; } = [];
        public List<int> IndexDrops { get; } = [];
        public List<int> UniqueIndexCreations { get; } = [];

        public override void Visit(CreateTableStatement node)
        {
            if (node.SchemaObjectName.BaseIdentifier.Value != "UsageEvents")
                return;
            foreach (var column in node.Definition.ColumnDefinitions.Where(c => c.ColumnIdentifier.Value == nameof(UsageEvent.ClientEventId)))
            {
                var notNull = column.Constraints.OfType<NullableConstraintDefinition>().Any(c => !c.Nullable);
                ColumnDefinitions.Add((node.StartOffset, column.DataType, column.Collation, !notNull));
            }
        }

        public override void Visit(AlterTableAlterColumnStatement node)
        {
            if (node.SchemaObjectName.BaseIdentifier.Value == "UsageEvents" && node.ColumnIdentifier.Value == nameof(UsageEvent.ClientEventId))
                ColumnDefinitions.Add((node.StartOffset, node.DataType, node.Collation, node.AlterTableAlterColumnOption != AlterTableAlterColumnOption.NotNull));
        }

        public override void Visit(DropIndexStatement node)
        {
            if (node.DropIndexClauses.OfType<DropIndexClause>().Any(c => c.Index.Value == Index))
                IndexDrops.Add(node.StartOffset);
        }

        public override void Visit(CreateIndexStatement node)
        {
            if (node.Name.Value == Index && node.Unique)
                UniqueIndexCreations.Add(node.StartOffset);
        }
    }
}
