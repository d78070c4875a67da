using System.Text.RegularExpressions;
using System.Xml.Linq;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Deployment;

/// <summary>Docker is not available on every machine: check that the Dockerfile runs what the solution builds.</summary>
public partial class DockerfileTests
{
    private static readonly string Dockerfile = File.ReadAllText(RepositoryRoot.Combine("Dockerfile"));

    [Fact]
    public void Dockerfile_PublishesTheWebProject_AndStartsItsEntryDll()
    {
        var published = PublishTarget().Match(Dockerfile);
        Assert.True(published.Success, "The Dockerfile does not publish a project.");
        Assert.True(File.Exists(RepositoryRoot.Combine(published.Groups[1].Value)), $"{published.Groups[1].Value} does not exist.");
        var entry = EntryDll().Match(Dockerfile);
        Assert.True(entry.Success, "The Dockerfile has no ENTRYPOINT running a DLL.");
        Assert.Equal(Path.GetFileNameWithoutExtension(published.Groups[1].Value) + ".dll", entry.Groups[1].Value);
        // The DLL it names is what the build of that project produces.
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, entry.Groups[1].Value)));
    }

    [Fact]
    public void Dockerfile_RunsAsNonRoot_WithAHealthCheckAndAppDataVolume()
    {
        Assert.Contains("USER app", Dockerfile);
        Assert.Matches("HEALTHCHECK .*--health-probe.*/health/live", Dockerfile.ReplaceLineEndings(" ").Replace("\\ ", ""));
        Assert.Contains("VOLUME [\"/app/App_Data\"]", Dockerfile);
        Assert.Matches(@"FROM mcr\.microsoft\.com/dotnet/sdk:\S+ AS build", Dockerfile);
        Assert.Matches(@"FROM mcr\.microsoft\.com/dotnet/aspnet:\S+ AS runtime", Dockerfile);
        Assert.Contains("ASPNETCORE_ENVIRONMENT=Production", Dockerfile);
    }

    [Fact]
    public void EveryCopySource_ExistsInTheRepository_AndIsNotExcludedFromTheBuildContext()
    {
        var ignored = DockerIgnorePatterns();
        var sources = CopySources().ToList();

        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var path = RepositoryRoot.Combine(source.TrimEnd('/'));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {source}: no such file or folder in the repository.");
            Assert.False(IsIgnored(source.TrimEnd('/'), ignored), $"COPY {source}: .dockerignore leaves it out of the build context.");
        }
    }

    [Fact]
    public void TheBuildStage_CopiesTheBuildSettings_AndEveryProjectThePublishedProjectReferences()
    {
        var sources = CopySources().Select(s => s.TrimEnd('/')).ToHashSet();
        var published = PublishTarget().Match(Dockerfile).Groups[1].Value;

        // MSBuild reads these from the folders above each project; a missing one changes the build (or fails the restore).
        foreach (var settings in new[] { "Directory.Build.props", "Directory.Packages.props", "Directory.Build.targets", "NuGet.config", "nuget.config", "global.json" })
        {
            if (File.Exists(RepositoryRoot.Combine(settings)))
                Assert.Contains(settings, sources);
        }
        foreach (var project in ProjectClosure(published))
        {
            var folder = Path.GetDirectoryName(project)!.Replace('\\', '/');
            Assert.Contains(project, sources); // the project file, before the restore
            Assert.Contains(folder, sources); // its sources, before the publish
        }
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputLocalDataAndTestsOutOfTheContext()
    {
        var ignored = DockerIgnorePatterns();

        foreach (var pattern in new[] { "**/bin/", "**/obj/", "**/App_Data/", "**/BenchmarkDotNet.Artifacts/", ".git/", "TenantPortal.Tests/" })
            Assert.Contains(pattern, ignored);
    }

    // Enough of .dockerignore's matching for our patterns: "**/name/" anywhere, "name/" or "name" from the root, "*.ext".
    private static bool IsIgnored(string path, IEnumerable<string> patterns)
    {
        var segments = path.Split('/');
        foreach (var pattern in patterns.Select(p => p.TrimEnd('/')))
        {
            var anywhere = pattern.StartsWith("**/", StringComparison.Ordinal);
            var name = anywhere ? pattern[3..] : pattern;
            bool Matches(string segment) => name.StartsWith("*.", StringComparison.Ordinal)
                ? segment.EndsWith(name[1..], StringComparison.Ordinal)
                : segment == name;
            if (anywhere ? segments.Any(Matches) : path == name || path.StartsWith(name + "/", StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    // The published project and every project it references, transitively, as repository-relative paths.
    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
                continue;
            var folder = Path.GetDirectoryName(RepositoryRoot.Combine(current))!;
            foreach (var reference in XDocument.Load(RepositoryRoot.Combine(current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(RepositoryRoot.Path, full).Replace('\\', '/'));
            }
        }
        return seen;
    }

    // The sources of the COPY instructions that read the build context (not --from another stage).
    private static IEnumerable<string> CopySources() =>
        Dockerfile.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("COPY ", StringComparison.Ordinal) && !line.Contains("--from", StringComparison.Ordinal))
            .SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]);

    private static HashSet<string> DockerIgnorePatterns() =>
        File.ReadAllLines(RepositoryRoot.Combine(".dockerignore"))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex PublishTarget();

    [GeneratedRegex(@"ENTRYPOINT \[""dotnet"", ""([^""]+\.dll)""\]")]
    private static partial Regex EntryDll();
}
