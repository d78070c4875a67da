namespace TenantPortal.Tests.Infrastructure;

/// <summary>The folder holding TenantPortal.sln, found above the test output folder.</summary>
public static class RepositoryRoot
{
    /// <summary>The repository's root folder.</summary>
    public static string Path { get; } = Find();

    /// <summary>A path under the root.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "TenantPortal.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("TenantPortal.sln not found above the test output folder.");
    }
}
