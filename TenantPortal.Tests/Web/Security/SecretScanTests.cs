using System.Diagnostics;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Security;

/// <summary>Secrets come from configuration or the environment only: the repository's tracked files hold none.</summary>
public class SecretScanTests
{
    private static readonly string[] ScannedExtensions = [".json", ".cs", ".razor", ".yml", ".yaml", ".props", ".csproj", ".sh", ".md", ".env", ".config"];

    [Fact]
    public void TrackedSourceAndConfiguration_HoldNoSecretLookingValues()
    {
        var root = RepositoryRoot();
        var files = TrackedFiles(root).Where(f => ScannedExtensions.Contains(Path.GetExtension(f)) || Path.GetFileName(f) is "Dockerfile" or ".dockerignore").ToList();
        Assert.Contains(files, f => f.EndsWith("appsettings.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("Program.cs", StringComparison.Ordinal));

        var findings = files
            .Where(f => File.Exists(Path.Combine(root, f)))
            .SelectMany(f => SecretScanner.Scan(f, File.ReadAllText(Path.Combine(root, f)), IsTestCode(f)))
            .ToList();

        Assert.True(findings.Count == 0, "Secret-looking values in tracked files:\n" + string.Join('\n', findings));
    }

    [Theory]
    [InlineData("appsettings.json", "sk_live_", "  \"Stripe\": { \"SecretKey\": \"{0}\" }")]
    [InlineData("appsettings.json", "sk_test_", "  \"SecretKey\": \"{0}\"")]
    [InlineData("Startup.cs", "rk_live_", "var key = \"{0}\";")]
    [InlineData("appsettings.Production.json", "whsec_", "\"WebhookSecret\": \"{0}\"")]
    [InlineData("Seeder.cs", "tp_live_", "const string Key = \"{0}\";")]
    public void Detector_FindsAKeyCommittedToSourceOrConfiguration(string file, string prefix, string line)
    {
        var secret = prefix + "Q7vK2mXp9RtL4wNz8sYb3HcJ6dFg1aE5";

        var findings = SecretScanner.Scan(file, line.Replace("{0}", secret), isTestCode: false);

        Assert.NotEmpty(findings);
    }

    // The samples are split in the source so that this file does not trip the scan of the repository.
    [Theory]
    [InlineData("Server=db;Database=portal;User Id=sa;Pass" + "word=Xk29-pLq!;TrustServerCertificate=true")]
    [InlineData("\"Operator\": { \"Pass" + "word\": \"Winter-Garden-1987\" }")]
    [InlineData("\"Metrics\": { \"Scrape" + "Token\": \"b1946ac92492d2347c6235b4d2611184\" }")]
    [InlineData("-----BEGIN RSA PRIVATE" + " KEY-----")]
    [InlineData("aws_access_key_id = AKIA" + "IOSFODNN7EXAMPLQ")]
    public void Detector_FindsPasswordsTokensAndPrivateKeys(string line)
    {
        Assert.NotEmpty(SecretScanner.Scan("docker-compose.yml", line, isTestCode: false));
    }

    [Theory]
    [InlineData("  \"SecretKey\": \"\",")]
    [InlineData("  \"Password\": \"Demo-Portal-2026\"")]
    [InlineData("Server=db;Password=${SA_PASSWORD};")]
    [InlineData("Server=sql.example.com;User Id=portal;Password=…;")]
    [InlineData("options.Password.RequiredLength = 12;")]
    public void Detector_LetsEmptyValuesPlaceholdersAndTheDemoPasswordThrough(string line)
    {
        Assert.Empty(SecretScanner.Scan("appsettings.json", line, isTestCode: false));
    }

    [Fact]
    public void Detector_LetsObviousFakesThroughInTestCodeOnly()
    {
        var fake = "const string Key = \"tp_" + "live_fake0000000000000000000000000000000000\";";

        Assert.Empty(SecretScanner.Scan("TenantPortal.Tests/X.cs", fake, isTestCode: true));
        Assert.NotEmpty(SecretScanner.Scan("TenantPortal.Web/X.cs", fake, isTestCode: false));
    }

    private static bool IsTestCode(string file) =>
        file.StartsWith("TenantPortal.Tests/", StringComparison.Ordinal) || file.StartsWith("TenantPortal.Benchmarks/", StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TenantPortal.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("TenantPortal.sln not found above the test assembly.");
    }

    // git ls-files: what is committed or staged, not build output; every file when the tree is not a git checkout.
    private static IEnumerable<string> TrackedFiles(string root)
    {
        try
        {
            var start = new ProcessStartInfo("git", "ls-files -z") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode == 0)
                return output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on the machine: fall back to the files on disk.
        }
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj" or ".git"));
    }
}
