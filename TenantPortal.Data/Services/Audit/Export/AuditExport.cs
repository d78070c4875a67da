namespace TenantPortal.Data.Services.Audit.Export;

/// <summary>
/// An export that passed its checks and was audited, ready to be written: the file's name and type are known before
/// its first byte, so an endpoint can still answer with a problem until then.
/// </summary>
public sealed class AuditExport
{
    private readonly Func<Stream, CancellationToken, Task<long>> _write;

    internal AuditExport(string fileName, AuditExportFormat format, long lastId, Func<Stream, CancellationToken, Task<long>> write)
    {
        FileName = fileName;
        Format = format;
        LastId = lastId;
        _write = write;
    }

    /// <summary>The download's file name, e.g. <c>acme-audit-2026-11-01-2026-12-01.csv</c>.</summary>
    public string FileName { get; }

    /// <summary>The format.</summary>
    public AuditExportFormat Format { get; }

    /// <summary>The media type of the file.</summary>
    public string ContentType => AuditExportFormats.ContentType(Format);

    /// <summary>The highest entry id the export includes: the log as it stood when the export started.</summary>
    public long LastId { get; }

    /// <summary>Streams the file to <paramref name="output"/>, a batch at a time; returns the number of entries written.</summary>
    public Task<long> WriteToAsync(Stream output, CancellationToken cancellationToken) => _write(output, cancellationToken);
}
