using System.Net;
using System.Text.RegularExpressions;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Deployment;

/// <summary>
/// The README's Docker quick start as written, without Docker: the portal started in Production with the Dockerfile's
/// environment plus the <c>docker run</c> line's (or the SQL Server compose file's <c>portal</c> service's, on SQLite instead of SQL
/// Server), over plain HTTP, opened at <c>http://localhost:8080</c> as the README says — and the operator logs in.
/// </summary>
public partial class QuickStartTests
{
    private const string OperatorPassword = "Quick-Start-Operator-2026";

    [Fact]
    public async Task TheReadmesDockerRunLine_GivesAPortalTheOperatorLogsInto_OverHttpOnLocalhost()
    {
        var readme = await File.ReadAllTextAsync(RepositoryRoot.Combine("README.md"));
        var run = DockerRunLine().Match(readme);
        Assert.True(run.Success, "The README has no `docker run` line.");
        var environment = EnvironmentOption().Matches(run.Value).ToDictionary(m => m.Groups[1].Value, m => Unquote(m.Groups[2].Value));

        await LogInAsync(environment);
    }

    [Fact]
    public async Task TheComposeFilesPortalService_GivesAPortalTheOperatorLogsInto_OverHttpOnLocalhost()
    {
        var environment = DeploymentFiles.ComposeEnvironment(DeploymentFiles.SqlServerComposeFile, "portal", DeploymentFiles.ReadmeComposeVariables(OperatorPassword, DeploymentFiles.SqlServerComposeFile));
        Assert.Equal("SqlServer", environment.GetValueOrDefault("Database__Provider"));
        // No SQL Server here: the same service on SQLite (the database is not what this test is about).
        environment.Remove("Database__Provider");
        environment.Remove("Database__AutoMigrate");
        environment.Remove("ConnectionStrings__Portal");
        environment.Remove("Metering__QuotaCache");

        await LogInAsync(environment);
    }

    private static async Task LogInAsync(Dictionary<string, string> environment)
    {
        foreach (var (key, value) in DeploymentFiles.DockerfileEnvironment())
            environment.TryAdd(key, value);
        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("http://localhost:8080", environment.GetValueOrDefault("Portal__PublicUrl"));
        environment.Remove("ASPNETCORE_URLS");
        // A <placeholder> or a shell variable ($DATAPROTECTION_CERT_PASSWORD) is a secret the reader fills in.
        foreach (var key in environment.Keys.Where(k => environment[k].StartsWith('<') || environment[k].StartsWith('$')).ToList())
            environment[key] = OperatorPassword;
        // The Data Protection certificate the README has the reader make (dataprotection.pfx, mounted under /run/secrets
        // in the container), protected with the password they gave.
        Assert.StartsWith("/run/secrets/", environment.GetValueOrDefault("DataProtection__Certificate__Path"));
        environment["DataProtection__Certificate__Path"] = TestCertificates.Create("quick-start", environment["DataProtection__Certificate__Password"]);

        var directory = Path.Combine(Path.GetTempPath(), $"tenantportal-quickstart-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            environment["ConnectionStrings__Portal"] = $"Data Source={Path.Combine(directory, "portal.db")}";
            environment["Email__PickupDirectory"] = Path.Combine(directory, "mail");
            await using var portal = await PortalProcess.StartAsync(directory, new Dictionary<string, string>(), environment);
            // The browser opens http://localhost:8080; the instance listens on a free port of its own.
            var cookies = new CookieContainer();
            using var client = portal.CreateClient(cookies);
            client.DefaultRequestHeaders.Host = $"localhost:{portal.Address.Port}";

            using var page = await client.GetAsync("/Account/Login");
            using var login = await AccountClient.LogInAsync(client, environment.GetValueOrDefault("Operator__Email", PortalAppFactory.OperatorEmail), OperatorPassword, "/Account/Manage");
            using var manage = await client.GetAsync("/Account/Manage");

            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file for a moment; the temp folder is cleaned by the system.
            }
        }
    }

    private static string Unquote(string value) => value.Length >= 2 && (value[0] is '\'' or '"') && value[^1] == value[0] ? value[1..^1] : value;

    [GeneratedRegex(@"docker run (?:[^\n]*\\\n)*[^\n]*")]
    private static partial Regex DockerRunLine();

    [GeneratedRegex(@"-e (\w+)=('[^']*'|""[^""]*""|\S+)")]
    private static partial Regex EnvironmentOption();
}
