using System.Globalization;
using System.Text;

namespace TenantPortal.Data.Services.Audit.Export;

/// <summary>
/// The audit log as RFC 4180 CSV: UTF-8 without a byte-order mark, CRLF after every record, a header row, a field quoted
/// when it holds a comma, a double quote, CR or LF (its quotes doubled). A text cell starting with <c>=</c>, <c>+</c>,
/// <c>-</c>, <c>@</c>, a tab or CR gets a leading <c>'</c>, so that a spreadsheet never runs it as a formula (OWASP's CSV
/// injection advice); the id and the time are written by the portal and never start so.
/// </summary>
internal sealed class AuditCsvWriter(Stream output, bool withTenant) : AuditExportWriter
{
    /// <summary>The columns, named as the JSON fields.</summary>
    public const string Header = "id,occurredAt,actor,actorUserId,action,target,details,ipAddress";

    /// <summary>The columns of the fleet's log.</summary>
    public const string FleetHeader = "tenantSlug," + Header;

    private readonly StreamWriter _writer = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
    private readonly StringBuilder _batch = new();

    public override void WriteStart() => _batch.Append(withTenant ? FleetHeader : Header).Append("\r\n");

    public override void Write(FleetAuditRow row)
    {
        var e = row.Entry;
        if (withTenant)
        {
            AppendText(_batch, row.TenantSlug);
            _batch.Append(',');
        }
        _batch.Append(e.Id.ToString(CultureInfo.InvariantCulture)).Append(',');
        _batch.Append(e.OccurredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)).Append(',');
        AppendText(_batch, e.Actor);
        _batch.Append(',');
        AppendText(_batch, e.ActorUserId);
        _batch.Append(',');
        AppendText(_batch, e.Action);
        _batch.Append(',');
        AppendText(_batch, e.Target);
        _batch.Append(',');
        AppendText(_batch, e.Details);
        _batch.Append(',');
        AppendText(_batch, e.IpAddress);
        _batch.Append("\r\n");
    }

    public override void WriteEnd()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writer.WriteAsync(_batch, cancellationToken);
        await _writer.FlushAsync(cancellationToken);
        _batch.Clear();
    }

    public override ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>One text cell: guarded against formulas, then quoted when RFC 4180 needs it. Null is an empty cell.</summary>
    public static void AppendText(StringBuilder output, string? value)
    {
        if (string.IsNullOrEmpty(value))
            return;
        var guard = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        var quote = value.AsSpan().IndexOfAny(",\"\r\n") >= 0;
        if (quote)
            output.Append('"');
        if (guard)
            output.Append('\'');
        if (quote)
            output.Append(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        else
            output.Append(value);
        if (quote)
            output.Append('"');
    }
}
