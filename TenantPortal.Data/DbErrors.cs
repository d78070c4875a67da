using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TenantPortal.Data;

/// <summary>Recognises the database errors the services handle as outcomes rather than failures.</summary>
public static class DbErrors
{
    /// <summary>True when a save was refused by a unique index or primary key (another writer got there first).</summary>
    public static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY.
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        // Cannot insert duplicate key row / violation of a unique constraint.
        SqlException sql => sql.Number is 2601 or 2627,
        // unique_violation (a primary key is a unique index too).
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
