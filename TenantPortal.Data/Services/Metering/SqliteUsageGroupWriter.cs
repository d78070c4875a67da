using Microsoft.Data.Sqlite;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// Writes a group of pending batches on the usage writer's connection: all of them in ONE transaction with one prepared
/// single-row <c>INSERT … ON CONFLICT DO NOTHING</c> (parameters reused; a row that inserted nothing is a duplicate, also
/// when the same id came from another batch of the group), then answers every batch once the commit returned. When the
/// group's transaction fails, it is rolled back and the batches are written again one transaction each, so that only
/// the batch at fault is refused and each batch stays all-or-nothing.
/// </summary>
public sealed class SqliteUsageGroupWriter : IDisposable
{
    // The enum's names by value, so that binding a metric does not format the enum on every row.
    private static readonly string[] MetricNames = NamesByValue();

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _tenant;
    private readonly SqliteParameter _clientEventId;
    private readonly SqliteParameter _metric;
    private readonly SqliteParameter _quantity;
    private readonly SqliteParameter _timestamp;
    private readonly SqliteParameter _receivedAt;

    /// <summary>Prepares the insert on an open connection (the caller owns the connection and its pragmas).</summary>
    public SqliteUsageGroupWriter(SqliteConnection connection)
    {
        _connection = connection;
        _insert = connection.CreateCommand();
        _insert.CommandText = "INSERT INTO \"UsageEvents\" (\"TenantId\", \"ClientEventId\", \"Metric\", \"Quantity\", \"Timestamp\", \"ReceivedAt\") "
            + "VALUES ($t, $c, $m, $q, $s, $r) ON CONFLICT(\"TenantId\", \"ClientEventId\") DO NOTHING;";
        // Formats the EF model reads: GUID as upper-case text, enums as names, decimals as invariant text, times as UTC ticks.
        _tenant = _insert.Parameters.Add("$t", SqliteType.Text);
        _clientEventId = _insert.Parameters.Add("$c", SqliteType.Text);
        _metric = _insert.Parameters.Add("$m", SqliteType.Text);
        _quantity = _insert.Parameters.Add("$q", SqliteType.Text);
        _timestamp = _insert.Parameters.Add("$s", SqliteType.Integer);
        _receivedAt = _insert.Parameters.Add("$r", SqliteType.Integer);
        _insert.Prepare();
    }

    /// <summary>Writes the group and answers each of its batches (stored events, or the error of that batch alone).</summary>
    public void Write(IReadOnlyList<PendingUsageBatch> group)
    {
        if (group.Count == 0)
            return;
        if (group.Count > 1)
        {
            IReadOnlyList<IReadOnlyList<StoredUsageEvent>> stored;
            try
            {
                stored = InsertInOneTransaction(group);
            }
            catch (Exception ex) when (ex is SqliteException or InvalidOperationException or ArgumentException or FormatException)
            {
                // Rolled back: nothing of the group is stored. Write each batch alone to find the one at fault.
                foreach (var batch in group)
                    WriteAlone(batch);
                return;
            }
            for (var i = 0; i < group.Count; i++)
                group[i].Stored(stored[i]);
            return;
        }
        WriteAlone(group[0]);
    }

    /// <inheritdoc />
    public void Dispose() => _insert.Dispose();

    private static string[] NamesByValue()
    {
        var values = Enum.GetValues<UsageMetric>();
        var names = new string[values.Max(v => (int)v) + 1];
        foreach (var value in values)
            names[(int)value] = value.ToString();
        return names;
    }

    private void WriteAlone(PendingUsageBatch batch)
    {
        try
        {
            var stored = InsertInOneTransaction([batch]);
            batch.Stored(stored[0]);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or ArgumentException or FormatException)
        {
            batch.Failed(ex);
        }
    }

    private IReadOnlyList<IReadOnlyList<StoredUsageEvent>> InsertInOneTransaction(IReadOnlyList<PendingUsageBatch> batches)
    {
        var results = new IReadOnlyList<StoredUsageEvent>[batches.Count];
        using var transaction = _connection.BeginTransaction(deferred: false);
        _insert.Transaction = transaction;
        var handle = _connection.Handle;
        for (var b = 0; b < batches.Count; b++)
        {
            var batch = batches[b];
            _tenant.Value = batch.TenantId.ToString().ToUpperInvariant();
            _receivedAt.Value = batch.ReceivedAt.UtcTicks;
            var stored = new List<StoredUsageEvent>(batch.Events.Count);
            foreach (var e in batch.Events)
            {
                _clientEventId.Value = e.ClientEventId;
                _metric.Value = MetricNames[(int)e.Metric];
                _quantity.Value = e.Quantity;
                _timestamp.Value = e.Timestamp.UtcTicks;
                // One row changed: inserted, and its id is the connection's last rowid. None: the id was seen before.
                if (_insert.ExecuteNonQuery() == 1)
                    stored.Add(new StoredUsageEvent(SQLitePCL.raw.sqlite3_last_insert_rowid(handle), e.Metric, e.Quantity, e.Timestamp));
            }
            results[b] = stored;
        }
        transaction.Commit();
        _insert.Transaction = null;
        return results;
    }
}
