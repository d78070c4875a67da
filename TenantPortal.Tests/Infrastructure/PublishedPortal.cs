using System.Reflection;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// The portal as it is deployed: <c>dotnet publish</c> of the build the tests run against (no rebuild), so that a
/// process started in Production serves its static assets (blazor.web.js, MudBlazor, the CSS bundle) from the published
/// wwwroot, as the Dockerfile's image and deploy/local-cluster.sh do. A build output outside Development has no web root:
/// its pages load but no script runs, so no circuit ever starts. Published once per build into a folder shared by the
/// test runs of that build.
/// </summary>
public static class PublishedPortal
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _dll;

    /// <summary>The published TenantPortal.Web.dll, published first if this build has not been.</summary>
    public static async Task<string> DllAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _dll ??= await PublishAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> PublishAsync()
    {
        var configuration = typeof(PublishedPortal).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var built = new FileInfo(Path.Combine(AppContext.BaseDirectory, "TenantPortal.Web.dll"));
        var folder = Path.Combine(Path.GetTempPath(), "tenantportal-tests-published", $"{configuration}-{built.LastWriteTimeUtc.Ticks:x}-{built.Length:x}");
        var dll = Path.Combine(folder, "TenantPortal.Web.dll");
        var done = Path.Combine(folder, ".published");
        if (File.Exists(done))
            return dll;

        var staging = $"{folder}.{Environment.ProcessId}";
        var (exitCode, log) = await ChildProcess.RunAsync("dotnet", RepositoryRoot.Path, TestTimeouts.Generous, null,
            "publish", RepositoryRoot.Combine("TenantPortal.Web", "TenantPortal.Web.csproj"), "--no-build", "-c", configuration,
            "-o", staging, "-nologo", "-nodeReuse:false", "--disable-build-servers");
        if (exitCode != 0)
            throw new InvalidOperationException($"dotnet publish of the portal failed ({exitCode}):\n{log}");

        // Another test run of the same build may have finished first: its folder is as good as ours.
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            Directory.Delete(staging, recursive: true);
        }
        await File.WriteAllTextAsync(done, DateTime.UtcNow.ToString("O"));
        RemoveOtherBuilds(folder);
        return dll;
    }

    // The publishes of earlier builds, a day old: each is 150 MB.
    private static void RemoveOtherBuilds(string current)
    {
        foreach (var other in Directory.EnumerateDirectories(Path.GetDirectoryName(current)!))
        {
            if (other == current || Directory.GetLastWriteTimeUtc(other) > DateTime.UtcNow.AddDays(-1))
                continue;
            try
            {
                Directory.Delete(other, recursive: true);
            }
            catch (IOException)
            {
                // In use by a test run still going: left for a later run.
            }
            catch (UnauthorizedAccessException)
            {
                // Likewise.
            }
        }
    }
}
