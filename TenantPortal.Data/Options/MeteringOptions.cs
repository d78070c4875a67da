using Microsoft.Extensions.Configuration;

namespace TenantPortal.Data.Options;

/// <summary>The <c>Metering</c> section: how usage is written and how quota checks read it.</summary>
public sealed record MeteringOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Metering";

    /// <summary>
    /// <c>Metering:QuotaCache</c>: <see cref="QuotaCacheMode.Local"/> (default with Sqlite) answers quota checks from
    /// in-memory running totals and cached tenant state, kept current by this process's ingestion and saves; it is exact
    /// only when this process is the database's one writer, so it is refused with a server database (SqlServer,
    /// PostgreSql), where a second instance, a deployment step or a script writes too; it also lets the tenant tabs' live
    /// refresh skip a tick when nothing of the tenant changed (<see cref="Services.TenantDataVersions"/>).
    /// <see cref="QuotaCacheMode.None"/> (default with the server databases, where several instances ingest) reads the
    /// database on every check and every tick.
    /// <see cref="QuotaCacheMode.Redis"/> keeps the running totals in Redis, shared and exact across instances.
    /// </summary>
    public QuotaCacheMode QuotaCache { get; init; }

    /// <summary>
    /// <c>Metering:SynchronousFull</c>, SQLite only: <c>true</c> makes the usage writer commit with <c>synchronous=FULL</c>
    /// (an fsync of the WAL on every commit: a 202 survives a power loss). The default <c>false</c> commits with
    /// <c>synchronous=NORMAL</c> in WAL mode: a 202 survives a crash of the process, but a power loss or OS crash may lose
    /// the last commits before the next checkpoint; the database is never corrupted.
    /// </summary>
    public bool SynchronousFull { get; init; }

    /// <summary>
    /// Reads and checks the section; a bad value throws <see cref="InvalidSettingException"/> naming the key.
    /// <c>Redis</c> needs <paramref name="redis"/> configured (the error then names <c>Redis:Configuration</c>).
    /// </summary>
    public static MeteringOptions Read(IConfiguration configuration, DatabaseProvider provider, RedisOptions? redis = null)
    {
        var section = configuration.GetSection(SectionName);
        var text = section["QuotaCache"];
        QuotaCacheMode mode;
        if (string.IsNullOrWhiteSpace(text))
            mode = provider == DatabaseProvider.Sqlite ? QuotaCacheMode.Local : QuotaCacheMode.None;
        else if (!Enum.TryParse(text, ignoreCase: true, out mode) || !Enum.IsDefined(mode) || int.TryParse(text, out _))
            throw new InvalidSettingException($"{SectionName}:QuotaCache", $"'{text}' is not supported; use Local, None or Redis.");
        if (mode == QuotaCacheMode.Local && provider != DatabaseProvider.Sqlite)
            throw new InvalidSettingException($"{SectionName}:QuotaCache",
                $"Local keeps running totals in this instance's memory, exact only while it is the database's one writer; with Database:Provider={provider} "
                + "other instances write too: use None or Redis.");
        if (mode == QuotaCacheMode.Redis)
            (redis ?? RedisOptions.Read(configuration)).Require($"{SectionName}:QuotaCache=Redis");

        var synchronousText = section["SynchronousFull"];
        var synchronousFull = false;
        if (!string.IsNullOrWhiteSpace(synchronousText) && !bool.TryParse(synchronousText, out synchronousFull))
            throw new InvalidSettingException($"{SectionName}:SynchronousFull", $"'{synchronousText}' is not true or false.");
        return new MeteringOptions { QuotaCache = mode, SynchronousFull = synchronousFull };
    }
}
