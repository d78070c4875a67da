namespace TenantPortal.Data.Services.Audit.Export;

/// <summary>
/// Writes audit rows in one format to a stream, a batch at a time: rows are added to a buffer the size of one batch, and
/// <see cref="FlushAsync"/> sends them on before the next batch is read, so nothing holds the whole file.
/// </summary>
internal abstract class AuditExportWriter : IAsyncDisposable
{
    /// <summary>The writer of <paramref name="format"/>; <paramref name="withTenant"/> adds the tenant slug (the fleet's log).</summary>
    public static AuditExportWriter For(AuditExportFormat format, Stream output, bool withTenant) => format switch
    {
        AuditExportFormat.Csv => new AuditCsvWriter(output, withTenant),
        _ => new AuditJsonWriter(output, withTenant),
    };

    /// <summary>Begins the file (the CSV header, the JSON array's bracket).</summary>
    public abstract void WriteStart();

    /// <summary>Adds one row to the buffer.</summary>
    public abstract void Write(FleetAuditRow row);

    /// <summary>Ends the file.</summary>
    public abstract void WriteEnd();

    /// <summary>Sends the buffered rows to the stream.</summary>
    public abstract Task FlushAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
