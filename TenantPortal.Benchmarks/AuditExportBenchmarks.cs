using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Benchmarks.Load;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit.Export;

namespace TenantPortal.Benchmarks;

/// <summary>
/// <see cref="AuditExporter.WriteAsync"/> exporting one tenant's audit log of 100,000 entries (a second tenant holds as
/// many, left out by the filter) from a SQLite file to <see cref="Stream.Null"/>, as CSV and as JSON: the time of a whole
/// export (rows/s = 100,000 / mean) and the bytes it allocates, which a streaming export keeps to its batches' objects
/// (the entries read), not the file's size. The file's size is printed at the end.
/// </summary>
[MemoryDiagnoser]
public class AuditExportBenchmarks
{
    /// <summary>Entries of the exported tenant.</summary>
    public const int Entries = 100_000;

    private string _folder = null!;
    private LoadContextFactory _contexts = null!;
    private Guid _tenant;
    private long _lastId;

    /// <summary>The format exported.</summary>
    [Params(AuditExportFormat.Csv, AuditExportFormat.Json)]
    public AuditExportFormat Format { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var now = TimeProvider.System.GetUtcNow();
        _folder = Path.Combine(Path.GetTempPath(), $"tenantportal-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        var database = await LoadDatabase.CreateSqliteAsync(_folder);
        var tenants = await database.AddTenantsAsync([("audit-export", SubscriptionTier.Professional), ("audit-other", SubscriptionTier.Professional)], now.AddMonths(-1), now);
        _tenant = tenants[0];
        var start = now.AddDays(-30);
        for (var chunk = 0; chunk < 2 * Entries; chunk += 10_000)
        {
            await using var db = database.CrossTenant();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = chunk; i < chunk + 10_000; i++)
            {
                db.AuditEntries.Add(new AuditEntry
                {
                    TenantId = tenants[i % 2], ActorUserId = "3f9a1c2e-0000-4000-8000-000000000001", Actor = "admin@acme.test",
                    Action = i % 7 == 0 ? AuditActions.MemberRoleChanged : AuditActions.TenantUpdated, Target = $"member:user{i % 500}@acme.test",
                    Details = i % 3 == 0 ? "Role Member → Admin, \"promoted\" by the owner" : "Name \"Acme\" → \"Acme Corporation\"",
                    OccurredAt = start.AddSeconds(i / 4), IpAddress = "203.0.113.7",
                });
            }
            await db.SaveChangesAsync();
        }
        _contexts = new LoadContextFactory(database, _tenant);
        await using var check = _contexts.CreateDbContext();
        _lastId = await check.AuditEntries.MaxAsync(e => e.Id);
    }

    [Benchmark(Description = "export 100,000 entries of one tenant")]
    public async Task<long> Export()
    {
        await using var db = _contexts.CreateDbContext();
        var written = await AuditExporter.WriteAsync(db, db.AuditEntries.Where(e => e.TenantId == _tenant), _lastId, Format, false, Stream.Null, CancellationToken.None);
        return written == Entries ? written : throw new InvalidOperationException($"Exported {written} entries, not {Entries}.");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await using var db = _contexts.CreateDbContext();
        var counting = new CountingStream();
        await AuditExporter.WriteAsync(db, db.AuditEntries.Where(e => e.TenantId == _tenant), _lastId, Format, false, counting, CancellationToken.None);
        Console.WriteLine(FormattableString.Invariant($"// Audit export as {Format}: {Entries:N0} entries, {counting.Length:N0} bytes"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // Counts the bytes written and keeps none.
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
