using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace TenantPortal.Data.Services.Metering;

/// <summary>The one result check of the SQLite code that steps statements through SQLitePCL directly (the usage writer, the rollup).</summary>
internal static class SqliteRaw
{
    /// <summary>Throws Microsoft.Data.Sqlite's exception for <paramref name="rc"/> unless it is <c>SQLITE_OK</c>.</summary>
    public static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(rc, db);
    }
}
