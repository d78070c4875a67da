using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// Writes a group of pending batches on the usage writer's connection: all of them in ONE transaction with one prepared
/// single-row <c>INSERT … ON CONFLICT DO NOTHING</c> (parameters reused; a row that inserted nothing is a duplicate, also
/// when the same id came from another batch of the group), then answers every batch once the commit returned. When the
/// group's transaction fails, it is rolled back and the batches are written again one transaction each, so that only
/// the batch at fault is refused and each batch stays all-or-nothing. Not thread-safe: the usage writer's thread owns it.
/// </summary>
public sealed class SqliteUsageGroupWriter : IDisposable
{
    // The enum's names by value, so that binding a metric does not format the enum on every row.
    private static readonly string[] MetricNames = NamesByValue();

    private const string InsertSql = "INSERT INTO \"UsageEvents\" (\"TenantId\", \"ClientEventId\", \"Metric\", \"Quantity\", \"Timestamp\", \"ReceivedAt\") "
        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(\"TenantId\", \"ClientEventId\") DO NOTHING;";

    // The decimal text format of the EF model (and of Microsoft.Data.Sqlite's binding), e.g. 1 -> "1.0".
    private const string DecimalFormat = "0.0###########################";

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _insert;

    /// <summary>Prepares the insert on an open connection (the caller owns the connection and its pragmas).</summary>
    public SqliteUsageGroupWriter(SqliteConnection connection)
    {
        _connection = connection;
        // The statement is stepped through SQLitePCL directly: rows are bound by position and the tenant and receipt
        // time once per batch (Microsoft.Data.Sqlite would re-bind every parameter by name on every row).
        var rc = raw.sqlite3_prepare_v2(connection.Handle, InsertSql, out _insert);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
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
        var db = _connection.Handle!;
        try
        {
            for (var b = 0; b < batches.Count; b++)
            {
                var batch = batches[b];
                // Formats the EF model reads: GUID as upper-case text, enums as names, decimals as invariant text, times as UTC ticks.
                SqliteRaw.Check(raw.sqlite3_bind_text(_insert, 1, batch.TenantId.ToString().ToUpperInvariant()), db);
                SqliteRaw.Check(raw.sqlite3_bind_int64(_insert, 6, batch.ReceivedAt.UtcTicks), db);
                var stored = new List<StoredUsageEvent>(batch.Events.Count);
                foreach (var e in batch.Events)
                {
                    SqliteRaw.Check(raw.sqlite3_bind_text(_insert, 2, e.ClientEventId), db);
                    SqliteRaw.Check(raw.sqlite3_bind_text(_insert, 3, MetricNames[(int)e.Metric]), db);
                    SqliteRaw.Check(raw.sqlite3_bind_text(_insert, 4, e.Quantity.ToString(DecimalFormat, CultureInfo.InvariantCulture)), db);
                    SqliteRaw.Check(raw.sqlite3_bind_int64(_insert, 5, e.Timestamp.UtcTicks), db);
                    var rc = raw.sqlite3_step(_insert);
                    if (rc != raw.SQLITE_DONE)
                        SqliteException.ThrowExceptionForRC(rc, db);
                    // One row changed: inserted, and its id is the connection's last rowid. None: the id was seen before.
                    if (raw.sqlite3_changes(db) == 1)
                        stored.Add(new StoredUsageEvent(raw.sqlite3_last_insert_rowid(db), e.Metric, e.Quantity, e.Timestamp));
                    raw.sqlite3_reset(_insert);
                }
                results[b] = stored;
            }
        }
        finally
        {
            raw.sqlite3_reset(_insert);
            raw.sqlite3_clear_bindings(_insert);
        }
        transaction.Commit();
        return results;
    }
}
