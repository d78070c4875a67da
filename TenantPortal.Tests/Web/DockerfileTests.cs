using System.Text.RegularExpressions;

namespace TenantPortal.Tests.Web;

/// <summary>Docker is not available on every machine: check that the Dockerfile runs what the solution builds.</summary>
public partial class DockerfileTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Dockerfile_PublishesTheWebProject_AndStartsItsEntryDll()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));

        var published = PublishTarget().Match(dockerfile);
        Assert.True(published.Success, "The Dockerfile does not publish a project.");
        Assert.True(File.Exists(Path.Combine(Root, published.Groups[1].Value)), $"{published.Groups[1].Value} does not exist.");
        var entry = EntryDll().Match(dockerfile);
        Assert.True(entry.Success, "The Dockerfile has no ENTRYPOINT running a DLL.");
        Assert.Equal(Path.GetFileNameWithoutExtension(published.Groups[1].Value) + ".dll", entry.Groups[1].Value);
        // The DLL it names is what the build of that project produces.
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, entry.Groups[1].Value)));
    }

    [Fact]
    public void Dockerfile_RunsAsNonRoot_WithAHealthCheckAndAppDataVolume()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));

        Assert.Contains("USER app", dockerfile);
        Assert.Matches("HEALTHCHECK .*--health-probe.*/health/live", dockerfile.ReplaceLineEndings(" ").Replace("\\ ", ""));
        Assert.Contains("VOLUME [\"/app/App_Data\"]", dockerfile);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TenantPortal.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("TenantPortal.sln not found above the test output folder.");
    }

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex PublishTarget();

    [GeneratedRegex(@"ENTRYPOINT \[""dotnet"", ""([^""]+\.dll)""\]")]
    private static partial Regex EntryDll();
}
