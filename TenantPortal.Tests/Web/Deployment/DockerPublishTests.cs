using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Deployment;

/// <summary>
/// What the image would hold, without Docker: <c>dotnet publish</c> of the project and configuration the Dockerfile
/// publishes, its ENTRYPOINT's DLL started from that output, and its HEALTHCHECK's command run against it.
/// </summary>
public partial class DockerPublishTests
{
    private static readonly string Dockerfile = File.ReadAllText(RepositoryRoot.Combine("Dockerfile"));

    [Fact]
    public async Task ThePublishedOutput_HoldsTheEntryDll_AndTheHealthCheckTellsUpFromDown()
    {
        var publish = PublishCommand().Match(Dockerfile);
        Assert.True(publish.Success, "The Dockerfile has no `dotnet publish <project> -c <configuration>`.");
        var entryDll = EntryDll().Match(Dockerfile).Groups[1].Value;
        var healthCheck = HealthCheckCommand().Match(Dockerfile.ReplaceLineEndings(" ").Replace("\\ ", ""));
        Assert.True(healthCheck.Success, "The Dockerfile has no HEALTHCHECK running the entry DLL's --health-probe.");
        Assert.Equal(entryDll, healthCheck.Groups[1].Value);

        var output = Path.Combine(Path.GetTempPath(), $"tenantportal-publish-{Guid.NewGuid():N}");
        try
        {
            var (exitCode, log) = await RunAsync("dotnet", RepositoryRoot.Path, TimeSpan.FromMinutes(10),
                "publish", publish.Groups[1].Value, "-c", publish.Groups[2].Value, "-o", output, "-nodeReuse:false", "--disable-build-servers");
            Assert.True(exitCode == 0, $"dotnet publish failed:\n{log}");

            var dll = Path.Combine(output, entryDll);
            Assert.True(File.Exists(dll), $"{entryDll} is not in the publish output.");
            Assert.True(File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")), "The entry DLL has no runtimeconfig.json.");
            Assert.True(File.Exists(Path.ChangeExtension(dll, ".staticwebassets.endpoints.json")), "The static assets' endpoints are not published.");
            Assert.True(File.Exists(Path.Combine(output, "appsettings.json")));

            // The published portal starts as the image would (Production), and the health check's command says so.
            var directory = Path.Combine(output, "run");
            Directory.CreateDirectory(directory);
            var portal = await PortalProcess.StartAsync(directory, new Dictionary<string, string>
            {
                ["ConnectionStrings:Portal"] = $"Data Source={Path.Combine(directory, "portal.db")}",
                ["Email:PickupDirectory"] = Path.Combine(directory, "mail"),
                ["Portal:PublicUrl"] = "http://localhost:8080",
            }, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, dll);
            var liveUrl = new Uri(portal.Address, new Uri(healthCheck.Groups[2].Value).PathAndQuery).ToString();
            try
            {
                Assert.Equal(0, (await RunAsync("dotnet", output, TimeSpan.FromSeconds(60), dll, "--health-probe", liveUrl)).ExitCode);
            }
            finally
            {
                await portal.DisposeAsync();
            }
            Assert.Equal(1, (await RunAsync("dotnet", output, TimeSpan.FromSeconds(60), dll, "--health-probe", liveUrl)).ExitCode);
            Assert.Equal(1, (await RunAsync("dotnet", output, TimeSpan.FromSeconds(60), dll, "--health-probe", $"http://127.0.0.1:{ClosedPort()}/health/live")).ExitCode);
        }
        finally
        {
            if (Directory.Exists(output))
                Directory.Delete(output, recursive: true);
        }
    }

    // A port nothing listens on: bound and released at once.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(string file, string directory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"timed out after {timeout}:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"dotnet publish (\S+\.csproj) -c (\S+)")]
    private static partial Regex PublishCommand();

    [GeneratedRegex(@"ENTRYPOINT \[""dotnet"", ""([^""]+\.dll)""\]")]
    private static partial Regex EntryDll();

    [GeneratedRegex(@"HEALTHCHECK .*CMD \[""dotnet"", ""([^""]+\.dll)"", ""--health-probe"", ""([^""]+)""\]")]
    private static partial Regex HealthCheckCommand();
}
