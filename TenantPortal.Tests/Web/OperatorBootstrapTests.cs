using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web;

/// <summary>Starts the real portal twice on one fresh database, with no operator password configured.</summary>
public partial class OperatorBootstrapTests
{
    [Fact]
    public async Task FirstStart_PrintsAGeneratedOperatorPasswordThatWorks_AndTheSecondStartDoesNotPrintItAgain()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"tenantportal-bootstrap-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "portal.db");
        try
        {
            var first = await RunUntilStartedAsync(directory, database);
            var printed = OperatorLine().Match(first);
            Assert.True(printed.Success, $"No operator line in the first start's output:\n{first}");
            Assert.Equal("operator@tenantportal.local", printed.Groups[1].Value);

            var second = await RunUntilStartedAsync(directory, database);
            Assert.DoesNotMatch(OperatorLine(), second);

            // The printed password is the operator's.
            var tenant = new TenantContext();
            await using var db = new TenantPortal.Data.SqlitePortalDbContext(
                new DbContextOptionsBuilder<TenantPortal.Data.SqlitePortalDbContext>().UseSqlite($"Data Source={database};Pooling=False").Options, tenant);
            var user = await db.Users.SingleAsync(u => u.Email == "operator@tenantportal.local");
            var hasher = new PasswordHasher<PortalUser>();
            Assert.NotEqual(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, user.PasswordHash!, printed.Groups[2].Value));
            Assert.Equal(1, await db.UserRoles.CountAsync(r => r.UserId == user.Id));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // Starts the portal in Production (no demo data), reads its output until the start-up banner is complete, then stops it.
    private static async Task<string> RunUntilStartedAsync(string directory, string database)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "TenantPortal.Web.dll"),
                $"--ConnectionStrings:Portal=Data Source={database}", "--urls=http://127.0.0.1:0", "--Email:PickupDirectory=" + Path.Combine(directory, "mail"),
                $"--DataProtection:Certificate:Path={TestCertificates.SharedPath}", $"--DataProtection:Certificate:Password={TestCertificates.Password}",
                "--Portal:PublicUrl=https://portal.example.com" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
        };
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        using var timeout = new CancellationTokenSource(TestTimeouts.Generous);
        try
        {
            var bannerStarted = false;
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (line.StartsWith("TenantPortal is running.", StringComparison.Ordinal))
                    bannerStarted = true;
                else if (bannerStarted && line.Length == 0)
                    break; // the banner ends with an empty line
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The portal did not finish starting:\n{output}\n{await process.StandardError.ReadToEndAsync()}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return output.ToString();
    }

    [GeneratedRegex(@"Operator: (\S+) / (\S+)")]
    private static partial Regex OperatorLine();
}
