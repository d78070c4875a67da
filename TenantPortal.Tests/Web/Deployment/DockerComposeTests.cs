using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Configuration;
using TenantPortal.Data.Options;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Startup;

namespace TenantPortal.Tests.Web.Deployment;

/// <summary>
/// docker-compose.sqlserver.yml (the portal on SQL Server) read as Compose would read it, and checked against the portal's
/// real settings. The PostgreSQL topology of docker-compose.yml is <see cref="ProductionTopologyTests"/>'.
/// </summary>
public partial class DockerComposeTests
{
    private const string ComposeFile = DeploymentFiles.SqlServerComposeFile;

    private static readonly Dictionary<object, object> Services = DeploymentFiles.ComposeServices(ComposeFile);

    [Fact]
    public void SqlServer_Is2022_WithItsPasswordFromTheEnvironment_AndAHealthCheckUsingSqlcmd()
    {
        var sql = Service("sqlserver");
        var environment = Environment(sql);

        Assert.Matches(@"^mcr\.microsoft\.com/mssql/server:2022-", (string)sql["image"]);
        Assert.Equal("Y", environment["ACCEPT_EULA"]);
        Assert.Matches(@"^\$\{MSSQL_SA_PASSWORD:\?[^}]+\}$", environment["MSSQL_SA_PASSWORD"]);
        var test = string.Join(" ", ((List<object>)((Dictionary<object, object>)sql["healthcheck"])["test"]).Cast<string>());
        Assert.Contains("/opt/mssql-tools18/bin/sqlcmd -C", test);
        Assert.Contains("$${MSSQL_SA_PASSWORD}", test); // expanded by the container's shell, not written into the file
        Assert.NotEmpty((List<object>)sql["volumes"]);
    }

    [Fact]
    public void Portal_BuildsTheDockerfile_OnSqlServer_AfterTheDatabaseIsHealthyAndMigrated()
    {
        var portal = Service("portal");
        var environment = Environment(portal);

        Assert.Equal(".", (string)portal["build"]);
        Assert.True(File.Exists(RepositoryRoot.Combine("Dockerfile")));
        Assert.Equal("SqlServer", environment["Database__Provider"]);
        Assert.Contains("8080:8080", ((List<object>)portal["ports"]).Cast<string>());
        Assert.Contains(((List<object>)portal["volumes"]).Cast<string>(), v => v.EndsWith(":/app/App_Data", StringComparison.Ordinal));
        var dependsOn = (Dictionary<object, object>)portal["depends_on"];
        Assert.Equal("service_healthy", ((Dictionary<object, object>)dependsOn["sqlserver"])["condition"]);
        Assert.Equal("service_completed_successfully", ((Dictionary<object, object>)dependsOn["migrate"])["condition"]);

        // The one-shot step runs the same image in the portal's migrate-only mode, on the same server and database (with
        // the owner's login: see ThePortalLogsIn_AsItsOwnLoginThatIsNotDbOwner_WhileTheMigrationsRunAsSa).
        var migrate = Service("migrate");
        Assert.Equal(".", (string)migrate["build"]);
        Assert.Equal([MigrateOnly.Argument], ((List<object>)migrate["command"]).Cast<string>());
        var portalConnection = new SqlConnectionStringBuilder(environment["ConnectionStrings__Portal"]);
        var migrateConnection = new SqlConnectionStringBuilder(Environment(migrate)["ConnectionStrings__Portal"]);
        Assert.Equal(portalConnection.DataSource, migrateConnection.DataSource);
        Assert.Equal(portalConnection.InitialCatalog, migrateConnection.InitialCatalog);
        Assert.Equal("SqlServer", Environment(migrate)["Database__Provider"]);
    }

    [Fact]
    public void ThePortalLogsIn_AsItsOwnLoginThatIsNotDbOwner_WhileTheMigrationsRunAsSa()
    {
        var portal = new SqlConnectionStringBuilder(Environment(Service("portal"))["ConnectionStrings__Portal"]);
        var migrate = new SqlConnectionStringBuilder(Environment(Service("migrate"))["ConnectionStrings__Portal"]);

        Assert.Equal("sqlserver,1433", portal.DataSource);
        Assert.Equal("sa", migrate.UserID);
        Assert.Equal(Environment(Service("sqlserver"))["MSSQL_SA_PASSWORD"], migrate.Password);
        // sa (sysadmin) or a member of db_owner could alter or drop the row-level security policy.
        Assert.NotEqual("sa", portal.UserID, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("${MSSQL_PORTAL_PASSWORD:?set MSSQL_PORTAL_PASSWORD}", portal.Password);

        var logins = Service("logins");
        var script = File.ReadAllText(RepositoryRoot.Combine("deploy/sqlserver/portal-login.sql"));
        // The logins step creates exactly that login with that password, after the migrations and before the portal.
        Assert.Contains($"CREATE LOGIN {portal.UserID} WITH PASSWORD = N'$(PORTAL_LOGIN_PASSWORD)'", script);
        Assert.Equal(portal.Password, Environment(logins)["PORTAL_LOGIN_PASSWORD"]);
        Assert.Contains("./deploy/sqlserver/portal-login.sql:/tenantportal/portal-login.sql:ro", ((List<object>)logins["volumes"]).Cast<string>());
        Assert.Contains("/tenantportal/portal-login.sql", ((List<object>)logins["entrypoint"]).Cast<string>());
        Assert.Equal("service_completed_successfully", ((Dictionary<object, object>)((Dictionary<object, object>)logins["depends_on"])["migrate"])["condition"]);
        Assert.Equal("service_completed_successfully", ((Dictionary<object, object>)((Dictionary<object, object>)Service("portal")["depends_on"])["logins"])["condition"]);
        foreach (var role in new[] { "db_datareader", "db_datawriter" })
            Assert.Contains($"ALTER ROLE {role} ADD MEMBER {portal.UserID};", script);
        Assert.DoesNotMatch(@"(?i)db_owner\s+ADD|db_ddladmin|db_securityadmin|ALTER ANY SECURITY POLICY|CONTROL|SCHEMA::(security|dbo)", script.Replace("not db_owner", "", StringComparison.Ordinal));
    }

    [Fact]
    public void ThePortalsLogin_HasNoDdlRights_HangfiresSchemaBeingInstalledByTheMigrateStep()
    {
        var script = File.ReadAllText(RepositoryRoot.Combine("deploy/sqlserver/portal-login.sql"));
        var statements = string.Join("\n", script.Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal)));

        // CREATE TABLE, ALTER on a schema (Hangfire's included), db_ddladmin: the portal's login changes no schema.
        Assert.DoesNotMatch(@"(?i)GRANT\s+CREATE|GRANT\s+ALTER|\bALTER\s*,|db_ddladmin|CREATE\s+SCHEMA", statements);
        // Hangfire's tables are read and written like the portal's: db_datareader and db_datawriter cover schema hangfire.
        Assert.Contains("GRANT SELECT, INSERT, UPDATE, DELETE, EXECUTE ON SCHEMA::hangfire TO tenantportal_app;", statements);
        Assert.Equal([MigrateOnly.Argument], ((List<object>)Service("migrate")["command"]).Cast<string>());
    }

    [Fact]
    public void EveryEnvironmentKeyOfThePortal_IsARealSetting_DocumentedInTheReadme_AndReadsAsIntended()
    {
        var environment = Environment(Service("portal")).Concat(Environment(Service("migrate"))).DistinctBy(e => e.Key).ToList();

        AssertRealDocumentedSettings(environment.Select(e => e.Key));

        // Read by the portal's own option readers, with the variables substituted as Compose would.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)Substitute(e.Value))))
            .Build();
        var database = DatabaseOptions.Read(configuration);
        Assert.Equal(DatabaseProvider.SqlServer, database.Provider);
        Assert.False(database.AutoMigrate); // the migrate service does it, once
        Assert.Equal(QuotaCacheMode.None, MeteringOptions.Read(configuration, database.Provider).QuotaCache);
        Assert.Equal("Server=sqlserver,1433;Database=TenantPortal;User Id=tenantportal_app;Password=sample-value;TrustServerCertificate=True", database.ConnectionString);
    }

    [Fact]
    public void Portal_GetsTheDataProtectionCertificate_AsASecretFile_WithItsPasswordFromTheEnvironment()
    {
        var portal = Service("portal");
        var environment = Environment(portal);
        var secrets = (Dictionary<object, object>)DeploymentFiles.ReadCompose(ComposeFile)["secrets"];

        var secret = Assert.Single(((List<object>)portal["secrets"]).Cast<string>());
        Assert.Equal($"/run/secrets/{secret}", environment["DataProtection__Certificate__Path"]);
        Assert.Matches(@"^\$\{DATAPROTECTION_CERT_PASSWORD:\?[^}]+\}$", environment["DataProtection__Certificate__Password"]);
        Assert.Equal("${DATAPROTECTION_CERT_FILE:-./dataprotection.pfx}", ((Dictionary<object, object>)secrets[secret])["file"]);
        Assert.Contains("*.pfx", File.ReadAllLines(RepositoryRoot.Combine(".gitignore")));
    }

    [Theory]
    [InlineData(DeploymentFiles.ComposeFile)]
    [InlineData(DeploymentFiles.SqlServerComposeFile)]
    public void TheFileHoldsNoSecret_EveryPasswordComesFromTheEnvironment(string file)
    {
        foreach (var (name, _) in DeploymentFiles.ComposeServices(file))
        {
            foreach (var (key, value) in DeploymentFiles.RawComposeEnvironment(file, (string)name))
            {
                if (SecretKey().IsMatch(key))
                    Assert.Matches(@"^\$\{[A-Z_]+(:[-?][^}]*)?\}$", value);
                foreach (Match password in PasswordInConnectionString().Matches(value))
                    Assert.Matches(@"^\$\{[A-Z_]+(:[-?][^}]*)?\}$", password.Groups[1].Value);
            }
        }
        // A ${VAR:-default} must not default a secret.
        Assert.DoesNotMatch(@"PASSWORD:-[^}]", File.ReadAllText(RepositoryRoot.Combine(file)));
    }

    /// <summary>Each key (<c>Section__Name</c>) is a setting of the portal's options and the README's configuration names it.</summary>
    internal static void AssertRealDocumentedSettings(IEnumerable<string> keys)
    {
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md"));
        foreach (var key in keys.Where(k => !k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)))
        {
            var setting = Regex.Replace(key.Replace("__", ":", StringComparison.Ordinal), @":\d+$", "");
            Assert.True(IsRealSetting(setting), $"{key}: the portal has no setting {setting}.");
            Assert.Contains($"`{setting}`", readme);
        }
    }

    // A setting is real when an options type binds it: "Section:Property" against the type whose SectionName is Section.
    private static bool IsRealSetting(string setting)
    {
        if (setting == $"ConnectionStrings:{DatabaseOptions.ConnectionStringName}")
            return true;
        var optionTypes = new[] { typeof(DatabaseOptions).Assembly, typeof(MigrateOnly).Assembly }
            .SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(t => t.Section is not null);
        return optionTypes.Any(t =>
            setting.StartsWith(t.Section + ":", StringComparison.OrdinalIgnoreCase)
            && t.Type.GetProperty(setting[(t.Section!.Length + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not null);
    }

    private static string Substitute(string value) => Variable().Replace(value, "sample-value");

    private static Dictionary<object, object> Service(string name) => (Dictionary<object, object>)Services[name];

    private static Dictionary<string, string> Environment(Dictionary<object, object> service) =>
        ((Dictionary<object, object>)service["environment"]).ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");

    [GeneratedRegex(@"password|secret|token|apikey", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKey();

    // Up to the next ';' (ADO.NET, Npgsql) or ',' (StackExchange.Redis).
    [GeneratedRegex(@"Password=([^;,]*)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordInConnectionString();

    [GeneratedRegex(@"\$\{[A-Z_]+(:[-?][^}]*)?\}")]
    private static partial Regex Variable();
}
