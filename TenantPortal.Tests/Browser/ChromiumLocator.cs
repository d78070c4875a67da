namespace TenantPortal.Tests.Browser;

/// <summary>Finds the system Chromium; a missing browser fails the test with the command that installs it.</summary>
public static class ChromiumLocator
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    /// <summary>The path of the Chromium executable (CHROMIUM_PATH wins).</summary>
    public static string Find() => Find(Environment.GetEnvironmentVariable("CHROMIUM_PATH"), Candidates);

    /// <summary>The path of the Chromium executable, from an explicit setting or the first candidate that exists.</summary>
    public static string Find(string? configured, IEnumerable<string> candidates)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"CHROMIUM_PATH points to '{configured}', which does not exist.");
        }
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "The browser tests need Chromium and none was found. Install it with: sudo apt-get update && sudo apt-get install -y chromium " +
                "(Debian/Ubuntu; the README's test command does this when run as root), or set CHROMIUM_PATH to a Chromium or Chrome executable.");
    }

    /// <summary>The flags that make Chromium run headless on a machine without a sandbox or outside network.</summary>
    public static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];
}
