using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;
using TenantPortal.Web.Startup;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Deployment;

/// <summary>The deployment step <c>--migrate-only</c> (docker-compose's <c>migrate</c> service): migrate, then exit.</summary>
public class MigrateOnlyTests
{
    [Fact]
    public async Task MigrateOnly_AppliesEveryMigration_AndExitsWithoutStartingThePortal()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"tenantportal-migrate-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "portal.db");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { Path.Combine(AppContext.BaseDirectory, "TenantPortal.Web.dll"), MigrateOnly.Argument,
                    $"--ConnectionStrings:Portal=Data Source={database}", "--urls=http://127.0.0.1:0" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = directory,
                Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync(TestTimeouts.Token());

            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}:\n{await output}\n{await errors}");
            Assert.DoesNotContain("TenantPortal is running.", await output);
            await using var db = new SqlitePortalDbContext(
                new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={database};Pooling=False").Options, new TenantContext());
            Assert.NotEmpty(db.Database.GetMigrations());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            // Only the schema: the bootstrap operator is the portal's first start's business.
            Assert.Empty(await db.Users.ToListAsync());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
