using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.SqlClient;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>One command a <see cref="RecordingDbConnection"/> was asked to run: its text, parameters and transaction.</summary>
public sealed record RecordedCommand(string Text, Dictionary<string, object?> Parameters, DbTransaction? Transaction, int Timeout);

/// <summary>
/// A connection that records the commands run on it instead of sending them (SqlClient's parameters), for checking the
/// SQL a raw ADO.NET code path sends to a server these machines can't run. Scalars answer with <see cref="Scalar"/>;
/// readers with the rows of <see cref="Rows"/> (none by default).
/// </summary>
public sealed class RecordingDbConnection : DbConnection
{
    public List<RecordedCommand> Commands { get; } = [];

    /// <summary>What <c>ExecuteScalar</c> returns for a command text.</summary>
    public Func<string, object?> Scalar { get; set; } = _ => 0;

    /// <summary>The rows a reader returns for a command text (null: none).</summary>
    public Func<string, DataTable?> Rows { get; set; } = _ => null;

    [AllowNull]
    public override string ConnectionString { get; set; } = "";
    public override string Database => "offline";
    public override string DataSource => "offline";
    public override string ServerVersion => "16.0";
    public override ConnectionState State => ConnectionState.Open;

    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();
    public override void Close()
    {
    }

    public override void Open()
    {
    }

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new RecordingTransaction(this, isolationLevel);
    protected override DbCommand CreateDbCommand() => new RecordingCommand(this);

    private void Record(DbCommand command) => Commands.Add(new RecordedCommand(command.CommandText,
        command.Parameters.Cast<DbParameter>().ToDictionary(p => p.ParameterName, p => p.Value), command.Transaction, command.CommandTimeout));

    private sealed class RecordingTransaction(RecordingDbConnection connection, IsolationLevel isolationLevel) : DbTransaction
    {
        public override IsolationLevel IsolationLevel => isolationLevel;
        protected override DbConnection DbConnection => connection;

        public override void Commit()
        {
        }

        public override void Rollback()
        {
        }
    }

    private sealed class RecordingCommand(RecordingDbConnection connection) : DbCommand
    {
        private readonly SqlCommand _parameters = new();

        [AllowNull]
        public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get; set; } = 30;
        public override CommandType CommandType { get; set; } = CommandType.Text;
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get; set; }
        protected override DbParameterCollection DbParameterCollection => _parameters.Parameters;
        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override int ExecuteNonQuery()
        {
            connection.Record(this);
            return 0;
        }

        public override object? ExecuteScalar()
        {
            connection.Record(this);
            return connection.Scalar(CommandText);
        }

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => new SqlParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            connection.Record(this);
            return (connection.Rows(CommandText) ?? new DataTable()).CreateDataReader();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _parameters.Dispose();
            base.Dispose(disposing);
        }
    }
}
