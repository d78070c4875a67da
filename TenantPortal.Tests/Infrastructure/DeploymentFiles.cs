using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// The environment the repository's Dockerfile and compose files give the portal, read as Docker and Compose read them,
/// so that a test can start the portal (its build or its published output) the way a container would be started.
/// </summary>
public static partial class DeploymentFiles
{
    /// <summary>The production topology on PostgreSQL: Redis, three portals, nginx (the same as deploy/local-cluster.sh).</summary>
    public const string ComposeFile = "docker-compose.yml";

    /// <summary>The portal on SQL Server 2022.</summary>
    public const string SqlServerComposeFile = "docker-compose.sqlserver.yml";

    /// <summary>
    /// A compose file as Compose reads it: YAML with its anchors, aliases and <c>&lt;&lt;</c> merge keys resolved (the
    /// services share one environment that way).
    /// </summary>
    public static Dictionary<object, object> ReadCompose(string file)
    {
        using var reader = new StringReader(File.ReadAllText(RepositoryRoot.Combine(file)));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    }

    /// <summary>A compose file's services, by name.</summary>
    public static Dictionary<object, object> ComposeServices(string file) => (Dictionary<object, object>)ReadCompose(file)["services"];

    /// <summary>A service's <c>environment</c> as written (variables not substituted).</summary>
    public static Dictionary<string, string> RawComposeEnvironment(string file, string service)
    {
        var services = ComposeServices(file);
        Assert.True(services.ContainsKey(service), $"{file} has no service {service}.");
        return ((Dictionary<object, object>)((Dictionary<object, object>)services[service])["environment"])
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
    }

    /// <summary>The Dockerfile's <c>ENV</c> variables (of the runtime stage, the last one declared wins).</summary>
    public static Dictionary<string, string> DockerfileEnvironment()
    {
        var environment = new Dictionary<string, string>();
        foreach (Match variable in DockerfileEnv().Matches(File.ReadAllText(RepositoryRoot.Combine("Dockerfile"))))
            environment[variable.Groups[1].Value] = variable.Groups[2].Value;
        return environment;
    }

    /// <summary>
    /// The shell variables that the README's <c>docker compose up</c> command for <paramref name="file"/> sets, each
    /// <c>&lt;placeholder&gt;</c> (such as <c>'&lt;12+ characters&gt;'</c>) filled in with <paramref name="secret"/>, as a
    /// reader would.
    /// </summary>
    public static Dictionary<string, string> ReadmeComposeVariables(string secret, string file = ComposeFile)
    {
        var fileOption = file == ComposeFile ? "" : $"-f {Regex.Escape(file)} ";
        var command = Regex.Match(File.ReadAllText(RepositoryRoot.Combine("README.md")),
            $@"^((?:\w+='[^']*'\s+)+)docker compose {fileOption}up", RegexOptions.Multiline);
        Assert.True(command.Success, $"The README has no `NAME='…' docker compose {fileOption}up` command.");
        return ShellVariable().Matches(command.Groups[1].Value)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.StartsWith('<') ? secret : m.Groups[2].Value);
    }

    /// <summary>
    /// A compose service's <c>environment</c>, with <c>${NAME}</c>, <c>${NAME:-default}</c> and <c>${NAME:?message}</c>
    /// substituted as Compose does from <paramref name="variables"/> (the shell's variables of the README's command): an
    /// unset or empty variable takes the default, and one that is required fails the test with the file's message.
    /// </summary>
    public static Dictionary<string, string> ComposeEnvironment(string file, string service, IReadOnlyDictionary<string, string> variables) =>
        RawComposeEnvironment(file, service).ToDictionary(e => e.Key, e => Substitute(file, e.Value, variables));

    /// <summary>
    /// The same settings on SQLite in <paramref name="databaseFile"/> instead of SQL Server (no SQL Server in the test
    /// run; the database is not what these tests are about). Every other setting is kept as it is.
    /// </summary>
    public static Dictionary<string, string> OnSqlite(IReadOnlyDictionary<string, string> environment, string databaseFile)
    {
        Assert.Equal("SqlServer", environment.GetValueOrDefault("Database__Provider"));
        var sqlite = environment.Where(e => e.Key != "Database__Provider").ToDictionary();
        sqlite["ConnectionStrings__Portal"] = $"Data Source={databaseFile}";
        return sqlite;
    }

    private static string Substitute(string file, string value, IReadOnlyDictionary<string, string> variables) =>
        ComposeReference().Replace(value, m =>
        {
            var name = m.Groups[1].Value;
            var set = variables.GetValueOrDefault(name) ?? "";
            return m.Groups[2].Value switch
            {
                ":-" => set.Length > 0 ? set : m.Groups[3].Value,
                ":?" => set.Length > 0 ? set : throw new InvalidOperationException($"{file}: {name}: {m.Groups[3].Value}"),
                _ => set,
            };
        });

    [GeneratedRegex(@"(\w+)='([^']*)'")]
    private static partial Regex ShellVariable();

    [GeneratedRegex(@"\$\{(\w+)(:[-?])?([^}]*)\}")]
    private static partial Regex ComposeReference();

    [GeneratedRegex(@"^(?:ENV\s+|\s+)(\w+)=(\S+?)(?:\s+\\)?$", RegexOptions.Multiline)]
    private static partial Regex DockerfileEnv();
}
