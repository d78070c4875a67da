using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.SqlClient;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Tests.Data;

/// <summary>The SQL Server stores that send ADO.NET commands themselves (not intercepted) set the session context too.</summary>
public class RawStoreSessionContextTests
{
    [Fact]
    public async Task RollupStore_RunsEveryStatementCrossTenant()
    {
        var connection = new RecordingConnection();

        await new SqlServerRollupStore().AggregateAsync(connection, null!, 10, 20, DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Equal(6, connection.Commands.Count);
        Assert.All(connection.Commands, c =>
        {
            Assert.StartsWith(TenantSessionContext.Prefix, c.Text, StringComparison.Ordinal);
            Assert.Equal(DBNull.Value, c.Parameters[TenantSessionContext.TenantIdParameter]);
            Assert.Equal(true, c.Parameters[TenantSessionContext.CrossTenantParameter]);
            Assert.Equal(10L, c.Parameters["@from"]);
        });
    }

    private sealed record Recorded(string Text, Dictionary<string, object?> Parameters);

    // A connection that records the commands run on it instead of sending them.
    private sealed class RecordingConnection : DbConnection
    {
        public List<Recorded> Commands { get; } = [];

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

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => throw new NotSupportedException();
        protected override DbCommand CreateDbCommand() => new RecordingCommand(this);
    }

    private sealed class RecordingCommand(RecordingConnection connection) : DbCommand
    {
        private readonly SqlCommand _parameters = new();

        [AllowNull]
        public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get; set; }
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
            connection.Commands.Add(new Recorded(CommandText, Parameters.Cast<DbParameter>().ToDictionary(p => p.ParameterName, p => p.Value)));
            return 0;
        }

        public override object? ExecuteScalar() => throw new NotSupportedException();
        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => new SqlParameter();
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _parameters.Dispose();
            base.Dispose(disposing);
        }
    }
}
