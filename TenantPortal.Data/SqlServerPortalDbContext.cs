using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data;

/// <summary>The SQL Server flavour (production), with its own migrations under Migrations/SqlServer.</summary>
public sealed class SqlServerPortalDbContext(DbContextOptions<SqlServerPortalDbContext> options, ITenantContext tenant)
    : PortalDbContext(options, tenant)
{
    /// <summary>
    /// The collation of <c>UsageEvents.ClientEventId</c> (and so of its unique (TenantId, ClientEventId) index): binary, so
    /// that an id is one exact string as on SQLite and PostgreSQL. The database's default (<c>SQL_Latin1_General_CP1_CI_AS</c>)
    /// would make <c>abc</c> and <c>ABC</c> one id. For nvarchar, BIN2 compares UTF-16 code units, as
    /// <see cref="StringComparer.Ordinal"/> does. (<c>=</c> still ignores trailing spaces under any collation: the ingestion
    /// rules refuse ids that begin or end with whitespace.)
    /// </summary>
    public const string ClientEventIdCollation = "Latin1_General_100_BIN2";

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<UsageEvent>().Property(e => e.ClientEventId).UseCollation(ClientEventIdCollation);
        // A correction id is one exact string too (its unique index decides idempotency).
        builder.Entity<UsageCorrection>().Property(c => c.CorrectionId).UseCollation(ClientEventIdCollation);
        builder.Entity<UsageCorrectionLine>().Property(l => l.ClientEventId).UseCollation(ClientEventIdCollation);
    }
}
