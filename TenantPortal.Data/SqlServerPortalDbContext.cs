using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data;

/// <summary>The SQL Server flavour (production), with its own migrations under Migrations/SqlServer.</summary>
public sealed class SqlServerPortalDbContext(DbContextOptions<SqlServerPortalDbContext> options, ITenantContext tenant)
    : PortalDbContext(options, tenant);
