using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Audit.Export;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Audit;

/// <summary>
/// A tenant's audit export, on both providers (PostgreSQL with row-level security): alpha has <c>audit_export</c> by an
/// operator's override, beta (Starter) has not; both have entries.
/// </summary>
public abstract class AuditExportServiceTests(TenancyTestBed template) : IAsyncLifetime
{
    public sealed class Sqlite(TenancyTestBed template) : AuditExportServiceTests(template), IClassFixture<TenancyTestBed>;

    public sealed class PostgreSql(TenancyTestBed.OnPostgreSql template) : AuditExportServiceTests(template), IClassFixture<TenancyTestBed.OnPostgreSql>;

    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Day = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);
    private readonly TenancyTestBed _bed = template.Clone();

    public async Task InitializeAsync()
    {
        await _bed.GrantAuditExportAsync(_bed.AlphaId);
        await using var db = _bed.Database.CrossTenant();
        db.AuditEntries.RemoveRange(db.AuditEntries);
        db.AuditEntries.AddRange(
            new AuditEntry { TenantId = _bed.AlphaId, Actor = "owner@alpha.test", Action = "member.removed", Target = "a1", OccurredAt = Day.AddHours(1) },
            new AuditEntry { TenantId = _bed.BetaId, Actor = "beta-owner@beta.test", Action = "member.removed", Target = "b1", OccurredAt = Day.AddHours(2) },
            new AuditEntry { TenantId = _bed.AlphaId, Actor = "admin@alpha.test", Action = "api_key.created", Target = "a2", OccurredAt = Day.AddDays(1) },
            new AuditEntry { TenantId = null, Actor = "system", Action = "operator.created", Target = "f1", OccurredAt = Day.AddDays(1) },
            new AuditEntry { TenantId = _bed.AlphaId, Actor = "owner@alpha.test", Action = "tenant.updated", Target = "a3", OccurredAt = Day.AddDays(2) });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    private static AuditExportRequest Json(DateTimeOffset? from = null, DateTimeOffset? to = null, string? action = null, string? actor = null) =>
        new(AuditExportFormat.Json, new AuditFilter(action, actor, from, to));

    private async Task<(Result<AuditExport> Export, string Text)> ExportAsync(Guid tenantId, Actor actor, AuditExportRequest request)
    {
        var export = await _bed.In(tenantId).AuditExports.StartAsync(actor, request, None);
        if (!export.IsSuccess)
            return (export, "");
        using var output = new MemoryStream();
        await export.Value.WriteToAsync(output, None);
        return (export, Encoding.UTF8.GetString(output.ToArray()));
    }

    private static List<JsonElement> Items(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    [Fact]
    public async Task Export_WritesTheTenantsOwnEntriesOnly_OldestFirst_WithTheFieldsOfThePagedApi()
    {
        var (export, text) = await ExportAsync(_bed.AlphaId, _bed.ActorOf("admin"), Json());

        var items = Items(text);
        Assert.Equal(["a1", "a2", "a3"], items.Select(i => i.GetProperty("target").GetString()));
        Assert.Equal(["id", "occurredAt", "actor", "actorUserId", "action", "target", "details", "ipAddress"], items[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(Day.AddHours(1), items[0].GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("ipAddress").ValueKind);
        Assert.Equal("application/json; charset=utf-8", export.Value!.ContentType);
    }

    [Fact]
    public async Task Export_RangeIncludesFrom_AndExcludesTo()
    {
        var (_, text) = await ExportAsync(_bed.AlphaId, _bed.ActorOf("admin"), Json(Day.AddHours(1), Day.AddDays(2)));

        Assert.Equal(["a1", "a2"], Items(text).Select(i => i.GetProperty("target").GetString()));
    }

    [Fact]
    public async Task Export_AppliesTheActionAndActorFilters()
    {
        var (_, byAction) = await ExportAsync(_bed.AlphaId, _bed.ActorOf("admin"), Json(action: "MEMBER."));
        var (_, byActor) = await ExportAsync(_bed.AlphaId, _bed.ActorOf("admin"), Json(actor: "owner@"));

        Assert.Equal(["a1"], Items(byAction).Select(i => i.GetProperty("target").GetString()));
        Assert.Equal(["a1", "a3"], Items(byActor).Select(i => i.GetProperty("target").GetString()));
    }

    [Fact]
    public async Task Export_IsAudited_WithItsRangeAndFormat_AndHoldsTheLogAsItStoodWhenItBegan()
    {
        var export = await _bed.In(_bed.AlphaId).AuditExports.StartAsync(_bed.ActorOf("admin"),
            new AuditExportRequest(AuditExportFormat.Csv, new AuditFilter(null, null, Day, null)), None);
        await using (var db = _bed.Database.CrossTenant())
        {
            db.AuditEntries.Add(new AuditEntry { TenantId = _bed.AlphaId, Actor = "late@alpha.test", Action = "tenant.updated", Target = "late", OccurredAt = Day.AddDays(3) });
            await db.SaveChangesAsync();
        }
        using var output = new MemoryStream();
        var written = await export.Value!.WriteToAsync(output, None);

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Equal(3, written);
        Assert.DoesNotContain("late", text);
        Assert.DoesNotContain(AuditActions.AuditExported, text);
        await using var check = _bed.Database.CrossTenant();
        var entry = await check.AuditEntries.SingleAsync(e => e.Action == AuditActions.AuditExported);
        Assert.Equal(_bed.AlphaId, entry.TenantId);
        Assert.Equal(_bed.Users["admin"].Id, entry.ActorUserId);
        Assert.Contains("csv", entry.Details);
        Assert.Contains("from 2026-11-10T00:00:00Z", entry.Details);
        Assert.Equal("alpha-audit-2026-11-10-2026-11-22.csv", export.Value.FileName);

        // The next export holds the first one's entry.
        var (_, next) = await ExportAsync(_bed.AlphaId, _bed.ActorOf("admin"), Json());
        Assert.Contains(AuditActions.AuditExported, next);
    }

    [Fact]
    public async Task Export_NamesTheFileBySlugAndRange()
    {
        var (export, _) = await ExportAsync(_bed.AlphaId, _bed.ActorOf("admin"),
            new AuditExportRequest(AuditExportFormat.Csv, new AuditFilter(From: new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), To: new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero))));
        var (json, _) = await ExportAsync(_bed.AlphaId, _bed.ActorOf("admin"), Json());

        Assert.Equal("alpha-audit-2026-11-01-2026-12-01.csv", export.Value!.FileName);
        Assert.Equal("alpha-audit-start-2026-11-22.json", json.Value!.FileName);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("member")]
    public async Task Export_IsRefused_BelowAdmin_AndRecordsNothing(string name)
    {
        var (export, _) = await ExportAsync(_bed.AlphaId, _bed.ActorOf(name), Json());

        Assert.Equal(ErrorCodes.Forbidden, export.Error?.Code);
        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.AuditExported));
    }

    [Fact]
    public async Task Export_IsRefused_WhenThePlanLeavesItOut_NamingThePlansThatInclude()
    {
        var (export, _) = await ExportAsync(_bed.BetaId, _bed.ActorOf("beta-owner"), Json());

        Assert.Equal(ErrorCodes.FeatureNotIncluded, export.Error?.Code);
        Assert.Contains("Starter", export.Error!.Message);
        Assert.Contains("Professional", export.Error.Message);
        Assert.False((await _bed.In(_bed.BetaId).AuditExports.IncludedAsync(_bed.ActorOf("beta-owner"), None)).Value);
        Assert.True((await _bed.In(_bed.AlphaId).AuditExports.IncludedAsync(_bed.ActorOf("admin"), None)).Value);
    }

    [Fact]
    public async Task Export_OfAnotherTenant_IsNotFound()
    {
        var (export, _) = await ExportAsync(_bed.AlphaId, _bed.ActorOf("beta-owner"), Json());

        Assert.Equal(ErrorCodes.NotFound, export.Error?.Code);
    }

    [Theory]
    [InlineData("2026-11-12T00:00:00Z", "2026-11-12T00:00:00Z", "to")]
    [InlineData("2026-11-12T00:00:00Z", "2026-11-11T00:00:00Z", "to")]
    public async Task Export_RefusesARangeThatEndsBeforeItStarts(string from, string to, string field)
    {
        var (export, _) = await ExportAsync(_bed.AlphaId, _bed.ActorOf("admin"), Json(DateTimeOffset.Parse(from), DateTimeOffset.Parse(to)));

        Assert.Equal(field, export.Error?.Field);
    }

    [Fact]
    public async Task Export_RefusesFilterTextThePortalNeverStores()
    {
        var (export, _) = await ExportAsync(_bed.AlphaId, _bed.ActorOf("admin"), Json(actor: "a\u0000b"));

        Assert.Equal("actor", export.Error?.Field);
    }

    [Fact]
    public async Task Export_WalksEveryEntryOnce_AcrossBatches_WhenManyShareATimestamp()
    {
        // 2,500 entries on three instants, written out of time order: the keyset must break ties by id across batch ends.
        const int count = 2_500;
        await using (var db = _bed.Database.CrossTenant())
        {
            for (var i = 0; i < count; i++)
                db.AuditEntries.Add(new AuditEntry { TenantId = _bed.AlphaId, Actor = "bulk", Action = "tenant.updated", Target = $"bulk-{i}", OccurredAt = Day.AddDays(5 - i % 3) });
            db.AuditEntries.Add(new AuditEntry { TenantId = _bed.BetaId, Actor = "bulk", Action = "tenant.updated", Target = "beta-bulk", OccurredAt = Day.AddDays(4) });
            await db.SaveChangesAsync();
        }

        var (_, text) = await ExportAsync(_bed.AlphaId, _bed.ActorOf("admin"), Json(actor: "bulk"));

        var rows = Items(text).Select(i => (At: i.GetProperty("occurredAt").GetDateTimeOffset(), Id: i.GetProperty("id").GetInt64())).ToList();
        Assert.Equal(count, rows.Count);
        Assert.Equal(count, rows.Select(r => r.Id).Distinct().Count());
        Assert.Equal(rows.OrderBy(r => r.At).ThenBy(r => r.Id), rows);
        Assert.True(count > 2 * AuditExporter.BatchSize);
    }

    [Fact]
    public async Task Export_SendsTheFirstBatch_BeforeReadingTheNext()
    {
        // When the first bytes reach the output, every entry is deleted: a streaming export has sent exactly one batch
        // by then and finds nothing more; one that read the whole log first would still write all of it.
        const int count = 3 * AuditExporter.BatchSize + 17;
        await using (var db = _bed.Database.CrossTenant())
        {
            for (var i = 0; i < count; i++)
                db.AuditEntries.Add(new AuditEntry { TenantId = _bed.AlphaId, Actor = "bulk", Action = "tenant.updated", Target = $"bulk-{i}", OccurredAt = Day.AddMinutes(i) });
            await db.SaveChangesAsync();
        }
        var export = await _bed.In(_bed.AlphaId).AuditExports.StartAsync(_bed.ActorOf("admin"),
            new AuditExportRequest(AuditExportFormat.Csv, new AuditFilter(Actor: "bulk")), None);
        await using var output = new FirstWriteStream(async () =>
        {
            await using var db = _bed.Database.CrossTenant();
            await db.AuditEntries.Where(e => e.Actor == "bulk").ExecuteDeleteAsync();
        });

        var written = await export.Value!.WriteToAsync(output, None);

        Assert.Equal(AuditExporter.BatchSize, written);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(AuditExporter.BatchSize + 1, lines.Length);
    }

    [Fact]
    public async Task Csv_QuotesAndGuardsHostileCells_AndReadsBackAsWritten()
    {
        await using (var db = _bed.Database.CrossTenant())
        {
            db.AuditEntries.RemoveRange(db.AuditEntries);
            db.AuditEntries.Add(new AuditEntry
            {
                TenantId = _bed.AlphaId, Actor = "=HYPERLINK(\"http://evil.test\",\"x\")", Action = "tenant.updated", Target = "+1,2",
                Details = "line one\r\nline \"two\"", IpAddress = "@sum", ActorUserId = "-3", OccurredAt = Day,
            });
            await db.SaveChangesAsync();
        }

        var (export, text) = await ExportAsync(_bed.AlphaId, _bed.ActorOf("admin"),
            new AuditExportRequest(AuditExportFormat.Csv, new AuditFilter()));

        Assert.StartsWith(AuditCsvWriter.Header + "\r\n", text);
        Assert.EndsWith("\r\n", text);
        var records = CsvRecords(text);
        Assert.Equal(2, records.Count);
        var row = records[1];
        Assert.Equal(DateTimeOffset.Parse(row[1]), Day);
        Assert.Equal("'=HYPERLINK(\"http://evil.test\",\"x\")", row[2]);
        Assert.Equal("'-3", row[3]);
        Assert.Equal("tenant.updated", row[4]);
        Assert.Equal("'+1,2", row[5]);
        Assert.Equal("line one\r\nline \"two\"", row[6]);
        Assert.Equal("'@sum", row[7]);
        Assert.Equal("text/csv; charset=utf-8", export.Value!.ContentType);
    }

    // RFC 4180 records: fields split at commas outside quotes, records at CRLF outside quotes, "" inside quotes a quote.
    internal static List<List<string>> CsvRecords(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
            }
            else if (c == '"')
                quoted = true;
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else
                field.Append(c);
        }
        Assert.Empty(record);
        return records;
    }

    /// <summary>An output that runs a hook before its first write reaches it, and refuses synchronous writes as Kestrel does.</summary>
    private sealed class FirstWriteStream(Func<Task> beforeFirstWrite) : Stream
    {
        private readonly MemoryStream _written = new();
        private bool _hooked;

        public byte[] ToArray() => _written.ToArray();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_hooked)
            {
                _hooked = true;
                await beforeFirstWrite();
            }
            _written.Write(buffer.Span);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous writes are not allowed.");

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush() => throw new InvalidOperationException("Synchronous flushes are not allowed.");

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written.Length;

        public override long Position { get => _written.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
