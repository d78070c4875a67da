using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Npgsql;
using TenantPortal.Data.Options;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Startup;

namespace TenantPortal.Tests.Web.Deployment;

/// <summary>
/// The production topology is described twice: deploy/local-cluster.sh starts it without Docker, docker-compose.yml with
/// it. Docker can't run here, so these tests keep the two in step by reading them: one nginx file rendered with the same
/// three variables, the same portal setting names, the same database roles, and the portal logged in as the role that
/// owns nothing (the owner could drop the row-level security policies).
/// </summary>
public partial class ProductionTopologyTests
{
    private const string NginxTemplate = "deploy/nginx/tenantportal.conf.template";
    private const string RolesSql = "deploy/postgres/roles.sql";
    private static readonly string[] Portals = ["portal-1", "portal-2", "portal-3"];

    private static readonly string Script = File.ReadAllText(RepositoryRoot.Combine("deploy/local-cluster.sh"));
    private static readonly Dictionary<object, object> Services = DeploymentFiles.ComposeServices(DeploymentFiles.ComposeFile);

    [Fact]
    public void TheScriptAndTheComposeFile_RenderTheSameNginxFile_FillingInExactlyItsVariables()
    {
        var template = File.ReadAllText(RepositoryRoot.Combine(NginxTemplate));
        var variables = TemplateVariable().Matches(template).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(["TENANTPORTAL_TLS_CERTIFICATE", "TENANTPORTAL_TLS_KEY", "TENANTPORTAL_UPSTREAM_SERVERS"], variables.Order(StringComparer.Ordinal));

        // The script renders the repository's file with envsubst limited to those variables (nginx's own $host etc. stay).
        Assert.Contains($"NGINX_TEMPLATE=\"$REPO/{NginxTemplate}\"", Script);
        var envsubst = EnvsubstCall().Match(Script);
        Assert.True(envsubst.Success, "local-cluster.sh does not render the template with `envsubst \"<variables>\"`.");
        Assert.Equal(variables.Order(), EscapedVariable().Matches(envsubst.Groups[1].Value).Select(m => m.Groups[1].Value).Order());
        foreach (var variable in variables)
            Assert.Contains($"{variable}=", Script);

        // Compose mounts the same file where the nginx image renders templates, gives it the same variables and lets the
        // image substitute only those.
        var nginx = Service("nginx");
        Assert.Contains($"./{NginxTemplate}:/etc/nginx/templates/{Path.GetFileName(NginxTemplate)}:ro", ((List<object>)nginx["volumes"]).Cast<string>());
        var environment = Environment("nginx");
        Assert.Equal(variables.Order(), environment.Keys.Where(k => k.StartsWith("TENANTPORTAL_", StringComparison.Ordinal)).Order());
        Assert.Equal("^TENANTPORTAL_", environment["NGINX_ENVSUBST_FILTER"]);
        // Its upstream servers are the three portals (by their fixed addresses), on the port they listen on.
        var portalAddresses = Portals.Select(p => (string)((Dictionary<object, object>)((Dictionary<object, object>)Service(p)["networks"])["default"])["ipv4_address"]);
        Assert.Equal(portalAddresses.Select(a => $"server {a}:8080"),
            environment["TENANTPORTAL_UPSTREAM_SERVERS"].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("http://+:8080", Environment("portal-1")["ASPNETCORE_URLS"]);
        Assert.Contains("8443:8443", ((List<object>)nginx["ports"]).Cast<string>());
        Assert.Contains("listen 8443 ssl;", template);
    }

    [Fact]
    public void TheNginxFile_KeepsABrowserOnOneInstance_PassesWebSockets_AndForwardsTheClient()
    {
        var template = File.ReadAllText(RepositoryRoot.Combine(NginxTemplate));

        Assert.Matches(@"upstream tenantportal \{\s*hash \$tenantportal_affinity consistent;", template);
        Assert.Contains("map $cookie_tenantportal_affinity $tenantportal_affinity", template);
        Assert.Contains("add_header Set-Cookie $tenantportal_affinity_cookie always;", template);
        Assert.Contains("\"tenantportal_affinity=$request_id; Path=/; Secure; HttpOnly; SameSite=Lax\"", template);
        foreach (var header in new[]
                 {
                     "proxy_set_header Upgrade           $http_upgrade;", "proxy_set_header Connection        $tenantportal_connection;",
                     "proxy_set_header Host              $http_host;", "proxy_set_header X-Forwarded-For   $proxy_add_x_forwarded_for;",
                     "proxy_set_header X-Forwarded-Proto $scheme;", "proxy_set_header X-Forwarded-Host  $http_host;",
                 })
            Assert.Contains(header, template);
        Assert.Contains("proxy_http_version 1.1;", template);
        Assert.Matches(@"proxy_read_timeout\s+1h;", template);
        // Larger than the portal's largest accepted body (1 MiB), so that the portal answers an oversized one itself.
        Assert.Matches(@"client_max_body_size\s+2m;", template);
        Assert.True(2 * 1024 * 1024 > TenantPortal.Web.Security.RequestBodyLimits.ApiBytes);
    }

    [Fact]
    public void ThePortalGetsTheSameSettingNames_FromTheScriptAndFromEveryComposeInstance()
    {
        var scriptNames = ScriptSettingNames();
        Assert.Contains("Database__Provider", scriptNames);

        foreach (var portal in Portals.Append("migrate"))
            Assert.Equal(scriptNames.Order(StringComparer.Ordinal), Environment(portal).Keys.Order(StringComparer.Ordinal));

        // The three instances are one configuration; only the first may seed the demo data, and the others never do.
        var first = Environment("portal-1");
        foreach (var portal in Portals.Skip(1))
        {
            var other = Environment(portal);
            Assert.Equal("false", other["Demo__Seed"]);
            Assert.Equal(first.Where(e => e.Key != "Demo__Seed"), other.Where(e => e.Key != "Demo__Seed"));
        }
        Assert.Matches(@"start_portal 1 true\b", Script);
        Assert.Matches(@"start_portal 2 false\b", Script);
        Assert.Matches(@"start_portal 3 false\b", Script);
        Assert.Equal("service_healthy", DependsOn("portal-2", "portal-1"));
        Assert.Equal("service_healthy", DependsOn("portal-3", "portal-1"));
        Assert.Equal("service_completed_successfully", DependsOn("portal-1", "migrate"));
        Assert.Equal(["--migrate-only"], ((List<object>)Service("migrate")["command"]).Cast<string>());
        Assert.Contains($"TenantPortal.Web.dll\" {MigrateOnly.Argument}", Script);
    }

    [Fact]
    public void BothRunThePortalOnPostgreSqlWithRedis_TheValuesTheIssueAsksFor()
    {
        var script = ScriptSettings();
        var compose = Environment("portal-1");

        foreach (var (key, value) in new Dictionary<string, string>
                 {
                     ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Database__Provider"] = "PostgreSql", ["Database__AutoMigrate"] = "false",
                     ["Hangfire__Storage"] = "PostgreSql", ["Metering__QuotaCache"] = "Redis", ["RateLimiting__Store"] = "Redis",
                 })
        {
            Assert.Equal(value, script[key]);
            Assert.Equal(value, compose[key]);
        }
        Assert.Equal("$PUBLIC_URL", script["Portal__PublicUrl"]);
        Assert.Equal("PUBLIC_URL=\"https://localhost:$HTTPS_PORT\"", ScriptLine("PUBLIC_URL="));
        Assert.Contains("HTTPS_PORT=\"${TENANTPORTAL_CLUSTER_HTTPS_PORT:-8443}\"", Script);
        Assert.Equal("${PORTAL_PUBLIC_URL:-https://localhost:8443}", compose["Portal__PublicUrl"]);
        // Each trusts the forwarded headers of its nginx only: loopback for the script, nginx's fixed address in compose.
        Assert.Equal("127.0.0.1", script["ForwardedHeaders__KnownProxies__0"]);
        var nginxAddress = (string)((Dictionary<object, object>)((Dictionary<object, object>)Service("nginx")["networks"])["default"])["ipv4_address"];
        Assert.Equal(nginxAddress, compose["ForwardedHeaders__KnownProxies__0"]);

        // The portal's own readers take the compose values as meant (the variables filled in as Compose would).
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(DeploymentFiles.ComposeEnvironment(DeploymentFiles.ComposeFile, "portal-1", DeploymentFiles.ReadmeComposeVariables("sample-secret-value"))
                .Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();
        var database = DatabaseOptions.Read(configuration);
        Assert.Equal(DatabaseProvider.PostgreSql, database.Provider);
        Assert.False(database.AutoMigrate);
        Assert.Equal("postgres", new NpgsqlConnectionStringBuilder(database.ConnectionString).Host);
    }

    [Fact]
    public void EverySettingName_IsARealSetting_DocumentedInTheReadme()
    {
        DockerComposeTests.AssertRealDocumentedSettings(ScriptSettingNames());
    }

    [Fact]
    public void ThePortalLogsIn_AsTheRoleThatOwnsNothing_AndTheMigrationsAsTheOwner_InBoth()
    {
        var postgres = Environment("postgres");
        var owner = postgres["TENANTPORTAL_OWNER_ROLE"];
        var app = postgres["TENANTPORTAL_APP_ROLE"];
        Assert.NotEqual(owner, app);
        Assert.Equal($"OWNER_ROLE={owner}", ScriptLine("OWNER_ROLE="));
        Assert.Equal($"APP_ROLE={app}", ScriptLine("APP_ROLE="));
        Assert.Equal($"DATABASE={postgres["TENANTPORTAL_DATABASE"]}", ScriptLine("DATABASE="));

        // Compose: every instance as the app role, the migrate step as the owner, with the passwords the roles were made with.
        foreach (var portal in Portals)
        {
            var login = new NpgsqlConnectionStringBuilder(Environment(portal)["ConnectionStrings__Portal"]);
            Assert.Equal(app, login.Username);
            Assert.Equal(postgres["TENANTPORTAL_APP_PASSWORD"], login.Password);
            Assert.Equal(postgres["TENANTPORTAL_DATABASE"], login.Database);
        }
        var migrate = new NpgsqlConnectionStringBuilder(Environment("migrate")["ConnectionStrings__Portal"]);
        Assert.Equal(owner, migrate.Username);
        Assert.Equal(postgres["TENANTPORTAL_OWNER_PASSWORD"], migrate.Password);
        Assert.NotEqual("postgres", migrate.Username);

        // The script: the instances' settings name the app role; the migrations pass the owner.
        Assert.Equal("ConnectionStrings__Portal=$(connection_string \"$login\" \"$login_password\")", $"ConnectionStrings__Portal={ScriptSettings()["ConnectionStrings__Portal"]}");
        Assert.Contains("login=\"${3:-$APP_ROLE}\"", Script);
        Assert.Contains("portal_environment \"${PORTAL_PORTS[0]}\" false \"$OWNER_ROLE\"", Script);

        // Both make the roles with the same file: the postgres image runs it once through init.sh, the script on every up.
        Assert.Contains("<\"$REPO/" + RolesSql + "\"", Script);
        var volumes = ((List<object>)Service("postgres")["volumes"]).Cast<string>().ToList();
        Assert.Contains($"./{RolesSql}:/tenantportal/roles.sql:ro", volumes);
        Assert.Contains("./deploy/postgres/init.sh:/docker-entrypoint-initdb.d/10-tenantportal.sh:ro", volumes);
        Assert.Contains("-f /tenantportal/roles.sql", File.ReadAllText(RepositoryRoot.Combine("deploy/postgres/init.sh")));
    }

    [Fact]
    public void TheAppRole_CannotBypassRowLevelSecurity_OwnsNothing_AndMayOnlyReadAndWriteRows()
    {
        var sql = File.ReadAllText(RepositoryRoot.Combine(RolesSql));

        var appRole = Regex.Match(sql, @"ALTER ROLE :""app"" WITH ([^;]+);");
        Assert.True(appRole.Success, "roles.sql does not set the app role's attributes.");
        foreach (var attribute in new[] { "NOSUPERUSER", "NOBYPASSRLS", "NOCREATEDB", "NOCREATEROLE" })
            Assert.Contains(attribute, appRole.Groups[1].Value);
        Assert.Contains("CREATE DATABASE %I OWNER %I", sql);
        Assert.Contains("ALTER SCHEMA public OWNER TO :\"owner\";", sql);
        Assert.Contains("ALTER DEFAULT PRIVILEGES FOR ROLE :\"owner\" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :\"app\";", sql);
        Assert.Contains("ALTER DEFAULT PRIVILEGES FOR ROLE :\"owner\" GRANT USAGE, SELECT ON SEQUENCES TO :\"app\";", sql);

        // Every grant to the app role: rows, sequences, schema usage, connecting and temporary tables; never CREATE on a
        // schema, TRUNCATE, REFERENCES, TRIGGER or ownership.
        var grants = Regex.Matches(sql, @"^(?:ALTER DEFAULT PRIVILEGES FOR ROLE :""owner"" )?GRANT ([A-Z, ]+) ON (.+?) TO :""app"";$", RegexOptions.Multiline);
        Assert.NotEmpty(grants);
        var allowed = new HashSet<string> { "SELECT", "INSERT", "UPDATE", "DELETE", "USAGE", "CONNECT", "TEMPORARY" };
        foreach (Match grant in grants)
        {
            foreach (var privilege in grant.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))
                Assert.True(allowed.Contains(privilege), $"roles.sql grants {privilege} ON {grant.Groups[2].Value} to the app role.");
        }
        Assert.Equal(grants.Count, Regex.Matches(sql, @"TO :""app""").Count);
        Assert.DoesNotMatch(@"OWNER TO :""app""|AUTHORIZATION :""app""|GRANT :""owner""", sql);
    }

    // The script's portal settings: the `local settings=( "Name=value" … )` list of portal_settings().
    private static Dictionary<string, string> ScriptSettings()
    {
        var list = Regex.Match(Script, @"^\s+local settings=\(\n(.*?)\n\s+\)$", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(list.Success, "local-cluster.sh has no `local settings=(…)` list.");
        return Regex.Matches(list.Groups[1].Value, @"^\s+""(\w+)=(.*)""$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    private static IReadOnlyCollection<string> ScriptSettingNames() => ScriptSettings().Keys;

    private static string ScriptLine(string start) =>
        Assert.Single(Script.Split('\n'), l => l.StartsWith(start, StringComparison.Ordinal));

    private static Dictionary<object, object> Service(string name)
    {
        Assert.True(Services.ContainsKey(name), $"docker-compose.yml has no service {name}.");
        return (Dictionary<object, object>)Services[name];
    }

    private static Dictionary<string, string> Environment(string service) => DeploymentFiles.RawComposeEnvironment(DeploymentFiles.ComposeFile, service);

    private static string DependsOn(string service, string on) =>
        (string)((Dictionary<object, object>)((Dictionary<object, object>)Service(service)["depends_on"])[on])["condition"];

    [GeneratedRegex(@"\$\{(TENANTPORTAL_\w+)\}")]
    private static partial Regex TemplateVariable();

    [GeneratedRegex(@"envsubst ""([^""]+)""")]
    private static partial Regex EnvsubstCall();

    [GeneratedRegex(@"\\\$\{(\w+)\}")]
    private static partial Regex EscapedVariable();
}
