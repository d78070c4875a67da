namespace TenantPortal.Data.Options;

/// <summary>The <c>Metering</c> section: how usage is written.</summary>
public sealed class MeteringOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Metering";

    /// <summary>
    /// SQLite only: <c>true</c> makes the usage writer commit with <c>synchronous=FULL</c> (an fsync of the WAL on every
    /// commit: a 202 survives a power loss). The default <c>false</c> commits with <c>synchronous=NORMAL</c> in WAL mode:
    /// a 202 survives a crash of the process, but a power loss or OS crash may lose the last commits before the next
    /// checkpoint; the database is never corrupted.
    /// </summary>
    public bool SynchronousFull { get; set; }
}
