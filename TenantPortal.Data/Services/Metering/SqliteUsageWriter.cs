using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// The one writer of usage events on SQLite, with group commit: concurrent requests queue their batches; a dedicated
/// thread takes everything pending, writes it in one transaction (<see cref="SqliteUsageGroupWriter"/>), commits, and
/// only then answers each request. SQLite serialises writers anyway; one writer turns N small commits into one and
/// keeps the insert statement prepared.
/// <para>
/// Durability: the writer's connection uses <c>synchronous=NORMAL</c> when the database is in WAL mode (the portal's
/// default) unless <c>Metering:SynchronousFull</c> is set. A committed batch then survives a crash of the process, but a
/// power loss or an OS crash may lose the last commits (never corrupt the database). Outside WAL mode it stays FULL.
/// </para>
/// <para>
/// Cancellation: a batch whose request is cancelled before the writer takes it is not written; once taken it is
/// written and its caller waits for the answer (a group takes milliseconds), so that the caller and the ingest
/// observers always learn what was stored.
/// </para>
/// </summary>
public sealed class SqliteUsageWriter : IAsyncDisposable
{
    // A group is cut at this many events so that one commit does not keep the earliest callers waiting too long.
    private const int MaxEventsPerGroup = 32_000;

    private readonly Channel<PendingUsageBatch> _queue = Channel.CreateUnbounded<PendingUsageBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _connectionString;
    private readonly bool _synchronousFull;
    private readonly Lock _startLock = new();
    private Thread? _thread;
    private PendingUsageBatch? _carried;

    /// <summary>A writer for the database of <paramref name="connectionString"/>; its thread starts with the first batch.</summary>
    public SqliteUsageWriter(string connectionString, bool synchronousFull)
    {
        _connectionString = connectionString;
        _synchronousFull = synchronousFull;
    }

    /// <summary>
    /// Queues the tenant's events (distinct ids) and completes with those inserted, once their transaction committed.
    /// A failure of this batch (e.g. an unknown tenant) fails this call only.
    /// </summary>
    public Task<IReadOnlyList<StoredUsageEvent>> WriteAsync(Guid tenantId, IReadOnlyList<UsageEventInput> events, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = new PendingUsageBatch(tenantId, events, receivedAt, cancellationToken);
        if (!_queue.Writer.TryWrite(batch))
            throw new ObjectDisposedException(nameof(SqliteUsageWriter), "The usage writer is shutting down.");
        EnsureStarted();
        return batch.Completion;
    }

    /// <summary>Stops taking batches, writes those already queued, and closes the connection.</summary>
    public ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Thread? thread;
        lock (_startLock)
            thread = _thread;
        thread?.Join();
        return ValueTask.CompletedTask;
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _thread) is not null)
            return;
        lock (_startLock)
        {
            if (_thread is not null)
                return;
            var thread = new Thread(Run) { IsBackground = true, Name = "usage-writer" };
            thread.Start();
            Volatile.Write(ref _thread, thread);
        }
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        SqliteUsageGroupWriter? writer = null;
        var group = new List<PendingUsageBatch>();
        try
        {
            while (_carried is not null || _queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                TakeGroup(group);
                if (group.Count == 0)
                    continue;
                try
                {
                    if (writer is null)
                    {
                        connection = Open();
                        writer = new SqliteUsageGroupWriter(connection);
                    }
                    writer.Write(group);
                }
                catch (Exception ex)
                {
                    // The connection itself failed (it could not open, or the writer broke): refuse the batches not
                    // answered yet (answered ones keep their answer), and start on a new connection next time.
                    foreach (var batch in group)
                        batch.Failed(ex);
                    writer?.Dispose();
                    connection?.Dispose();
                    writer = null;
                    connection = null;
                }
            }
        }
        finally
        {
            writer?.Dispose();
            connection?.Dispose();
        }
    }

    // Everything pending, up to the group's size; batches cancelled while queued are answered as cancelled.
    private void TakeGroup(List<PendingUsageBatch> group)
    {
        group.Clear();
        var events = 0;
        while (true)
        {
            var batch = _carried;
            _carried = null;
            if (batch is null && !_queue.Reader.TryRead(out batch))
                return;
            if (batch.CancellationToken.IsCancellationRequested)
            {
                batch.Cancelled();
                continue;
            }
            if (group.Count > 0 && events + batch.Events.Count > MaxEventsPerGroup)
            {
                _carried = batch;
                return;
            }
            group.Add(batch);
            events += batch.Events.Count;
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        var opened = false;
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode;";
            var wal = string.Equals(pragma.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase);
            // NORMAL is only safe (no corruption on power loss) in WAL mode; elsewhere keep FULL.
            var synchronous = wal && !_synchronousFull ? "NORMAL" : "FULL";
            pragma.CommandText = $"PRAGMA foreign_keys=ON; PRAGMA synchronous={synchronous}; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;";
            pragma.ExecuteNonQuery();
            opened = true;
            return connection;
        }
        finally
        {
            if (!opened)
                connection.Dispose();
        }
    }
}
