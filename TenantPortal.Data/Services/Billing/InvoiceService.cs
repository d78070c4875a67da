using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// The current tenant's invoices (Admin): the list, one invoice with its lines, and the usage behind an overage or
/// late-usage line: its days from the usage history, and its raw events as CSV (per line, or the whole invoice's).
/// </summary>
public sealed class InvoiceService(IDbContextFactory<PortalDbContext> contexts, UsageHistoryService history)
{
    /// <summary>The CSV header of an export of usage events.</summary>
    public const string CsvHeader = "event_id,metric,quantity,timestamp,received_at";

    /// <summary>Every invoice of the tenant, newest period first.</summary>
    public async Task<Result<IReadOnlyList<InvoiceRow>>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewBilling, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var invoices = await db.Invoices.AsNoTracking().ToListAsync(cancellationToken);
        return invoices.OrderByDescending(i => i.PeriodStart).ThenByDescending(i => i.IssuedAt).ThenBy(i => i.Number, StringComparer.Ordinal)
            .Select(InvoiceRow.From).ToList();
    }

    /// <summary>One invoice with its lines, by number.</summary>
    public async Task<Result<InvoiceDetail>> GetAsync(Actor actor, string number, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewBilling, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleOrDefaultAsync(i => i.Number == number, cancellationToken);
        if (invoice is null)
            return Error.NotFound($"Invoice {number} was not found in this workspace.");
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == invoice.TenantId, cancellationToken);
        var lines = invoice.Lines.OrderBy(l => l.Position).Select(InvoiceLineRow.From).ToList();
        return new InvoiceDetail(InvoiceRow.From(invoice), invoice.Tier, tenant.Name, tenant.BillingEmail, lines);
    }

    /// <summary>The daily usage behind an overage or late-usage line: the metric over the period the line bills.</summary>
    public async Task<Result<IReadOnlyList<DailyUsage>>> LineUsageAsync(Actor actor, string number, Guid lineId, CancellationToken cancellationToken)
    {
        var line = await TraceableLineAsync(actor, number, lineId, cancellationToken);
        if (!line.IsSuccess)
            return line.Error;
        var (metric, periodStart) = line.Value;
        var from = DateOnly.FromDateTime(periodStart.UtcDateTime);
        var to = DateOnly.FromDateTime(periodStart.AddMonths(1).AddDays(-1).UtcDateTime);
        var days = await history.DailyAsync(from, to, cancellationToken);
        return days.Where(d => d.Metric == metric).ToList();
    }

    /// <summary>
    /// The file name of the CSV export of a line's events, after the same checks as the export: a caller that must
    /// name the file before its first byte (an HTTP response) asks for it first.
    /// </summary>
    public async Task<Result<string>> LineEventsFileNameAsync(Actor actor, string number, Guid lineId, CancellationToken cancellationToken)
    {
        var line = await TraceableLineAsync(actor, number, lineId, cancellationToken);
        return line.IsSuccess ? FileName(number, line.Value.Metric, line.Value.PeriodStart) : line.Error;
    }

    /// <summary>
    /// Writes the events behind an overage or late-usage line as CSV (every event of the metric in the billed period,
    /// oldest first), streamed in pages. Returns the file name.
    /// </summary>
    public async Task<Result<string>> WriteLineEventsCsvAsync(Actor actor, string number, Guid lineId, TextWriter output, CancellationToken cancellationToken)
    {
        var line = await TraceableLineAsync(actor, number, lineId, cancellationToken);
        if (!line.IsSuccess)
            return line.Error;
        var (metric, periodStart) = line.Value;
        await output.WriteLineAsync(CsvHeader);
        await WriteEventsAsync(metric, periodStart, output, cancellationToken);
        await output.FlushAsync(cancellationToken);
        return FileName(number, metric, periodStart);
    }

    /// <summary>
    /// The file name of the CSV export of a whole invoice's events, after the same checks as the export (the invoice
    /// exists in this workspace and the caller may view billing).
    /// </summary>
    public async Task<Result<string>> InvoiceEventsFileNameAsync(Actor actor, string number, CancellationToken cancellationToken)
    {
        var lines = await TraceableLinesAsync(actor, number, cancellationToken);
        return lines.IsSuccess ? FileName(number) : lines.Error;
    }

    /// <summary>
    /// Writes the events behind every overage and late-usage line of an invoice as one CSV: for each line in invoice
    /// order (a metric and billed period once, however many lines bill it), every event of the metric in that period,
    /// oldest first. An invoice with no usage lines (a base charge only) gives the header alone. Returns the file name.
    /// </summary>
    public async Task<Result<string>> WriteInvoiceEventsCsvAsync(Actor actor, string number, TextWriter output, CancellationToken cancellationToken)
    {
        var lines = await TraceableLinesAsync(actor, number, cancellationToken);
        if (!lines.IsSuccess)
            return lines.Error;
        await output.WriteLineAsync(CsvHeader);
        foreach (var (metric, periodStart) in lines.Value)
            await WriteEventsAsync(metric, periodStart, output, cancellationToken);
        await output.FlushAsync(cancellationToken);
        return FileName(number);
    }

    // Every event of the metric in the billed month, oldest first, streamed in pages.
    private async Task WriteEventsAsync(UsageMetric metric, DateTimeOffset periodStart, TextWriter output, CancellationToken cancellationToken)
    {
        var periodEnd = periodStart.AddMonths(1);
        await using var db = contexts.CreateDbContext();
        const int page = 5_000;
        var after = 0L;
        while (true)
        {
            var rows = await db.UsageEvents.AsNoTracking()
                .Where(e => e.Metric == metric && e.Timestamp >= periodStart && e.Timestamp < periodEnd && e.Id > after)
                .OrderBy(e => e.Id).Take(page)
                .Select(e => new { e.Id, e.ClientEventId, e.Quantity, e.Timestamp, e.ReceivedAt })
                .ToListAsync(cancellationToken);
            foreach (var r in rows)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{Csv(r.ClientEventId)},{UsageMetrics.Name(metric)},{r.Quantity:0.############},{r.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ},{r.ReceivedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}"));
            }
            if (rows.Count < page)
                break;
            after = rows[^1].Id;
        }
    }

    private static string FileName(string number) => $"{number}-usage.csv";

    // The distinct (metric, billed period) pairs of the invoice's overage and late-usage lines, in line order.
    private async Task<Result<IReadOnlyList<(UsageMetric Metric, DateTimeOffset PeriodStart)>>> TraceableLinesAsync(Actor actor, string number,
        CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewBilling, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var invoiceId = await db.Invoices.Where(i => i.Number == number).Select(i => (Guid?)i.Id).SingleOrDefaultAsync(cancellationToken);
        if (invoiceId is null)
            return Error.NotFound($"Invoice {number} was not found in this workspace.");
        var lines = await db.InvoiceLines.AsNoTracking()
            .Where(l => l.InvoiceId == invoiceId && l.Metric != null && l.UsagePeriodStart != null)
            .OrderBy(l => l.Position)
            .Select(l => new { l.Metric, l.UsagePeriodStart })
            .ToListAsync(cancellationToken);
        return lines.Select(l => (l.Metric!.Value, l.UsagePeriodStart!.Value)).Distinct().ToList();
    }

    private static string FileName(string number, UsageMetric metric, DateTimeOffset periodStart) =>
        string.Create(CultureInfo.InvariantCulture, $"{number}-{UsageMetrics.Name(metric)}-{periodStart.UtcDateTime:yyyy-MM}.csv");

    private async Task<Result<(UsageMetric Metric, DateTimeOffset PeriodStart)>> TraceableLineAsync(Actor actor, string number, Guid lineId,
        CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewBilling, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var line = await db.InvoiceLines.AsNoTracking()
            .Where(l => l.Id == lineId && db.Invoices.Any(i => i.Id == l.InvoiceId && i.Number == number))
            .Select(l => new { l.Metric, l.UsagePeriodStart })
            .SingleOrDefaultAsync(cancellationToken);
        if (line is null)
            return Error.NotFound($"That line was not found on invoice {number}.");
        if (line.Metric is not { } metric || line.UsagePeriodStart is not { } periodStart)
            return Error.Invalid("lineId", "Only overage and late-usage lines have usage behind them.");
        return (metric, periodStart);
    }

    // A client event id may contain a comma or a quote: quote it the RFC 4180 way, and keep spreadsheets from reading it as a formula.
    private static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
