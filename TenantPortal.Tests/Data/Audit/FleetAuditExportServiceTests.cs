using System.Text;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Audit.Export;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Audit;

/// <summary>The operators' export of the fleet's audit log: every tenant's entries with their slug and the fleet-level ones.</summary>
public abstract class FleetAuditExportServiceTests(TenancyTestBed template) : IAsyncLifetime
{
    public sealed class Sqlite(TenancyTestBed template) : FleetAuditExportServiceTests(template), IClassFixture<TenancyTestBed>;

    public sealed class PostgreSql(TenancyTestBed.OnPostgreSql template) : FleetAuditExportServiceTests(template), IClassFixture<TenancyTestBed.OnPostgreSql>;

    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Day = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);
    private readonly TenancyTestBed _bed = template.Clone();

    public async Task InitializeAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        db.AuditEntries.RemoveRange(db.AuditEntries);
        db.AuditEntries.AddRange(
            new AuditEntry { TenantId = _bed.AlphaId, Actor = "owner@alpha.test", Action = "member.removed", Target = "a1", OccurredAt = Day.AddHours(1) },
            new AuditEntry { TenantId = _bed.BetaId, Actor = "beta-owner@beta.test", Action = "member.removed", Target = "b1", OccurredAt = Day.AddHours(2) },
            new AuditEntry { TenantId = null, Actor = "system", Action = "operator.created", Target = "f1", OccurredAt = Day.AddDays(1) },
            new AuditEntry { TenantId = Guid.NewGuid(), Actor = "gone@deleted.test", Action = "tenant.updated", Target = "d1", OccurredAt = Day.AddDays(2) });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    private async Task<(Result<AuditExport> Export, string Text)> ExportAsync(Actor actor, string? tenant, AuditExportFormat format, AuditFilter? filter = null)
    {
        var export = await _bed.In(null).FleetAuditExports.StartAsync(actor, tenant, new AuditExportRequest(format, filter ?? new AuditFilter()), None);
        if (!export.IsSuccess)
            return (export, "");
        using var output = new MemoryStream();
        await export.Value.WriteToAsync(output, None);
        return (export, Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task Export_HoldsEveryTenantAndTheFleet_OldestFirst_WithSlugs()
    {
        var (export, text) = await ExportAsync(await _bed.MakeOperatorAsync(), null, AuditExportFormat.Csv);

        var records = AuditExportServiceTests.CsvRecords(text);
        Assert.Equal(AuditCsvWriter.FleetHeader, string.Join(',', records[0]));
        Assert.Equal(["a1", "b1", "f1", "d1"], records.Skip(1).Select(r => r[6]));
        Assert.Equal(["alpha", "beta", "", ""], records.Skip(1).Select(r => r[0]));
        Assert.Equal("fleet-audit-start-2026-11-22.csv", export.Value!.FileName);
    }

    [Fact]
    public async Task Export_OfOneTenant_KeepsItsEntries_AsJson()
    {
        var (export, text) = await ExportAsync(await _bed.MakeOperatorAsync(), " BETA ", AuditExportFormat.Json);

        using var document = System.Text.Json.JsonDocument.Parse(text);
        var item = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal("beta", item.GetProperty("tenantSlug").GetString());
        Assert.Equal("b1", item.GetProperty("target").GetString());
        Assert.StartsWith("beta-audit-", export.Value!.FileName);
    }

    [Fact]
    public async Task Export_IsAuditedAsAnOperatorAction_OnTheFleet()
    {
        var op = await _bed.MakeOperatorAsync();

        await ExportAsync(op, "alpha", AuditExportFormat.Json, new AuditFilter(From: Day));

        await using var db = _bed.Database.CrossTenant();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.OperatorAuditExported);
        Assert.Null(entry.TenantId);
        Assert.Equal(op.UserId, entry.ActorUserId);
        Assert.Equal("tenant:alpha", entry.Target);
        Assert.Contains("json", entry.Details);
    }

    [Fact]
    public async Task Export_IsForOperatorsOnly()
    {
        var (export, _) = await ExportAsync(_bed.ActorOf("owner"), null, AuditExportFormat.Csv);

        Assert.Equal(ErrorCodes.Forbidden, export.Error?.Code);
        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.OperatorAuditExported));
    }

    [Fact]
    public async Task Export_RefusesAnUnknownTenant_NamingTheField()
    {
        var (export, _) = await ExportAsync(await _bed.MakeOperatorAsync(), "nope", AuditExportFormat.Csv);

        Assert.Equal("tenant", export.Error?.Field);
    }
}
