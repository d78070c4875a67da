using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Startup;

namespace TenantPortal.Tests.Web.Deployment;

/// <summary>
/// What the image would hold, without Docker: <c>dotnet publish</c> of the project and configuration the Dockerfile
/// publishes, its ENTRYPOINT's DLL started from that output as docker-compose.sqlserver.yml starts it (Production, plain HTTP),
/// its HEALTHCHECK's command run against it, and the operator's log-in at the compose file's public address.
/// </summary>
public partial class DockerPublishTests
{
    private const string OperatorPassword = "Published-Operator-2026";

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
            var (exitCode, log) = await ChildProcess.RunAsync("dotnet", RepositoryRoot.Path, TimeSpan.FromMinutes(10), null,
                "publish", publish.Groups[1].Value, "-c", publish.Groups[2].Value, "-o", output, "-nodeReuse:false", "--disable-build-servers");
            Assert.True(exitCode == 0, $"dotnet publish failed:\n{log}");

            var dll = Path.Combine(output, entryDll);
            Assert.True(File.Exists(dll), $"{entryDll} is not in the publish output.");
            Assert.True(File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")), "The entry DLL has no runtimeconfig.json.");
            Assert.True(File.Exists(Path.ChangeExtension(dll, ".staticwebassets.endpoints.json")), "The static assets' endpoints are not published.");
            Assert.True(File.Exists(Path.Combine(output, "appsettings.json")));

            // The published portal started as docker-compose.sqlserver.yml starts the image (the Dockerfile's environment and the
            // service's, with the variables of the README's command; on SQLite, as there is no SQL Server here): the
            // `migrate` step, then `portal` — Production, over plain HTTP, opened at its Portal__PublicUrl.
            var directory = Path.Combine(output, "run");
            Directory.CreateDirectory(directory);
            var database = Path.Combine(directory, "portal.db");
            var variables = DeploymentFiles.ReadmeComposeVariables(OperatorPassword, DeploymentFiles.SqlServerComposeFile);
            var (migrated, migrateLog) = await ChildProcess.RunAsync("dotnet", directory, TestTimeouts.Generous,
                ContainerEnvironment(DeploymentFiles.OnSqlite(DeploymentFiles.ComposeEnvironment(DeploymentFiles.SqlServerComposeFile, "migrate", variables), database)),
                dll, MigrateOnly.Argument);
            Assert.True(migrated == 0, $"The migrate step failed:\n{migrateLog}");

            var environment = ContainerEnvironment(DeploymentFiles.OnSqlite(DeploymentFiles.ComposeEnvironment(DeploymentFiles.SqlServerComposeFile, "portal", variables), database));
            // The compose file mounts dataprotection.pfx as a secret at this path; here it is a certificate made with the
            // password the README's command gives.
            Assert.Equal("/run/secrets/dataprotection-certificate", environment["DataProtection__Certificate__Path"]);
            environment["DataProtection__Certificate__Path"] = TestCertificates.Create("docker-quick-start", environment["DataProtection__Certificate__Password"]);
            Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
            var publicUrl = new Uri(environment["Portal__PublicUrl"]);
            Assert.Equal(Uri.UriSchemeHttp, publicUrl.Scheme);
            var portal = await PortalProcess.StartAsync(directory, new Dictionary<string, string>(), environment, dll);
            var liveUrl = new Uri(portal.Address, new Uri(healthCheck.Groups[2].Value).PathAndQuery).ToString();
            try
            {
                // The probe gives a request 5 s, as the HEALTHCHECK's --timeout does. A cold portal's very first request
                // (JIT) can take longer on a busy machine, which the image's --start-period covers; here the portal
                // answers once before the probe runs, so the probe measures the running portal, not its warm-up.
                using (var warmUp = new HttpClient { Timeout = TestTimeouts.Generous })
                    (await warmUp.GetAsync(liveUrl)).EnsureSuccessStatusCode();
                var up = await ChildProcess.RunAsync("dotnet", output, TestTimeouts.Generous, null, dll, "--health-probe", liveUrl);
                Assert.True(up.ExitCode == 0, $"The probe said the running portal is down:\n{up.Log}");

                // The browser opens the public address (the instance listens on a free port of its own): the log-in page,
                // with its antiforgery cookie, then the operator's log-in, over plain HTTP.
                var cookies = new CookieContainer();
                using var client = portal.CreateClient(cookies);
                client.DefaultRequestHeaders.Host = publicUrl.Authority;
                using var page = await client.GetAsync("/Account/Login");
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                using var login = await AccountClient.LogInAsync(client, environment["Operator__Email"], OperatorPassword, "/Account/Manage");
                Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
                using var manage = await client.GetAsync("/Account/Manage");
                Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
                Assert.Contains(environment["Operator__Email"], await manage.Content.ReadAsStringAsync());
            }
            finally
            {
                await portal.DisposeAsync();
            }
            Assert.Equal(1, (await ChildProcess.RunAsync("dotnet", output, TestTimeouts.Generous, null, dll, "--health-probe", liveUrl)).ExitCode);
            Assert.Equal(1, (await ChildProcess.RunAsync("dotnet", output, TestTimeouts.Generous, null, dll, "--health-probe", $"http://127.0.0.1:{ClosedPort()}/health/live")).ExitCode);
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

    // A container's environment: the Dockerfile's ENV, overridden by the service's (ASPNETCORE_URLS gives way to the
    // free port the tests pass on the command line).
    private static Dictionary<string, string> ContainerEnvironment(Dictionary<string, string> service)
    {
        foreach (var (key, value) in DeploymentFiles.DockerfileEnvironment())
            service.TryAdd(key, value);
        return service;
    }

    [GeneratedRegex(@"dotnet publish (\S+\.csproj) -c (\S+)")]
    private static partial Regex PublishCommand();

    [GeneratedRegex(@"ENTRYPOINT \[""dotnet"", ""([^""]+\.dll)""\]")]
    private static partial Regex EntryDll();

    [GeneratedRegex(@"HEALTHCHECK .*CMD \[""dotnet"", ""([^""]+\.dll)"", ""--health-probe"", ""([^""]+)""\]")]
    private static partial Regex HealthCheckCommand();
}
