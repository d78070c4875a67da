namespace TenantPortal.Core.Usage;

/// <summary>One problem of a backfill CSV: where (line from 1, the header being line 1; the column's name, or null for the whole line) and what.</summary>
/// <param name="Line">The line, from 1 (the header is line 1).</param>
/// <param name="Column">The column's name (<c>id</c>, <c>metric</c>, <c>quantity</c>, <c>timestamp</c>), or null for the line or file.</param>
/// <param name="Message">What is wrong, in a sentence.</param>
public sealed record BackfillCsvError(int Line, string? Column, string Message)
{
    /// <summary>"Line 3, quantity: …".</summary>
    public override string ToString() => Column is null ? $"Line {Line}: {Message}" : $"Line {Line}, {Column}: {Message}";
}
