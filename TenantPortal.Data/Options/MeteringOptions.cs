using Microsoft.Extensions.Configuration;

namespace TenantPortal.Data.Options;

/// <summary>The <c>Metering</c> section.</summary>
public sealed record MeteringOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Metering";

    /// <summary>
    /// <c>Metering:QuotaCache</c>: <see cref="QuotaCacheMode.Local"/> (default with Sqlite) answers quota checks from
    /// in-memory running totals and cached tenant state, kept current by this process's ingestion and saves; it is exact
    /// only when this process is the database's one writer. <see cref="QuotaCacheMode.None"/> (default with SqlServer,
    /// where several instances ingest) reads the database on every check.
    /// </summary>
    public QuotaCacheMode QuotaCache { get; init; }

    /// <summary>Reads and checks the section; a bad value throws <see cref="InvalidSettingException"/> naming the key.</summary>
    public static MeteringOptions Read(IConfiguration configuration, DatabaseProvider provider)
    {
        var text = configuration.GetSection(SectionName)["QuotaCache"];
        QuotaCacheMode mode;
        if (string.IsNullOrWhiteSpace(text))
            mode = provider == DatabaseProvider.Sqlite ? QuotaCacheMode.Local : QuotaCacheMode.None;
        else if (!Enum.TryParse(text, ignoreCase: true, out mode) || !Enum.IsDefined(mode) || int.TryParse(text, out _))
            throw new InvalidSettingException($"{SectionName}:QuotaCache", $"'{text}' is not supported; use Local or None.");
        return new MeteringOptions { QuotaCache = mode };
    }
}
