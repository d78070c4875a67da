using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// nginx in front of portal instances, made from the repository's one nginx file (deploy/nginx/tenantportal.conf.template)
/// as deploy/local-cluster.sh makes it: its three variables filled in (the instances, a self-signed certificate from
/// openssl), listening on a loopback port, inside a main file of a temp folder of its own whose access log names the
/// instance (upstream) that answered each request. Disposing stops exactly this nginx (its master process and workers).
/// </summary>
public sealed partial class NginxFrontDoor : IAsyncDisposable
{
    /// <summary>The nginx file both deployments render.</summary>
    public const string TemplateFile = "deploy/nginx/tenantportal.conf.template";

    private const string Install = "Install them with: sudo apt-get install -y nginx openssl";

    private readonly Process _process;
    private readonly string _directory;

    private NginxFrontDoor(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    /// <summary>The HTTPS address, e.g. https://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    /// <summary>The address nginx will listen at: a loopback port free at the moment of asking.</summary>
    public static Uri FreeAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
    }

    /// <summary>
    /// Starts nginx at <paramref name="address"/> (from <see cref="FreeAddress"/>) in front of <paramref name="instances"/>
    /// and waits until /health/ready answers 200 through it. Fails, saying how to install them, without nginx or openssl.
    /// </summary>
    public static async Task<NginxFrontDoor> StartAsync(Uri address, IEnumerable<Uri> instances)
    {
        var nginx = Executable("nginx", "/usr/sbin/nginx");
        var openssl = Executable("openssl", "/usr/bin/openssl");
        var directory = Directory.CreateTempSubdirectory("tenantportal-nginx-").FullName;
        // The workers (nobody, when the master is root) read nothing here but write request bodies to the temp folder.
        var temp = Directory.CreateDirectory(Path.Combine(directory, "temp")).FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)Convert.ToInt32("755", 8));
            File.SetUnixFileMode(temp, (UnixFileMode)Convert.ToInt32("777", 8));
        }

        var certificate = Path.Combine(directory, "tls.crt");
        var key = Path.Combine(directory, "tls.key");
        await RunAsync(openssl, "req", "-x509", "-nodes", "-newkey", "rsa:2048", "-sha256", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate);

        // As local-cluster.sh: envsubst of exactly these three variables (nginx's own $host etc. stay), then the listen
        // line moved to loopback and the port asked for.
        var servers = string.Concat(instances.Select(i => $"server 127.0.0.1:{i.Port} max_fails=1 fail_timeout=10s; "));
        var site = (await File.ReadAllTextAsync(RepositoryRoot.Combine(TemplateFile)))
            .Replace("${TENANTPORTAL_UPSTREAM_SERVERS}", servers, StringComparison.Ordinal)
            .Replace("${TENANTPORTAL_TLS_CERTIFICATE}", certificate, StringComparison.Ordinal)
            .Replace("${TENANTPORTAL_TLS_KEY}", key, StringComparison.Ordinal);
        Assert.DoesNotContain("${TENANTPORTAL_", site);
        Assert.Contains("listen 8443 ssl;", site);
        site = site.Replace("listen 8443 ssl;", $"listen 127.0.0.1:{address.Port} ssl;", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(directory, "tenantportal.conf"), site);

        var main = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(main, $$"""
            {{(Environment.UserName == "root" ? "user nobody nogroup;" : "")}}
            daemon off;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 1024; }
            http {
              include /etc/nginx/mime.types;
              log_format tenantportal '$remote_addr [$time_local] "$request" $status upstream=$upstream_addr';
              access_log {{directory}}/access.log tenantportal;
              client_body_temp_path {{temp}}/client_body;
              proxy_temp_path {{temp}}/proxy;
              fastcgi_temp_path {{temp}}/fastcgi;
              uwsgi_temp_path {{temp}}/uwsgi;
              scgi_temp_path {{temp}}/scgi;
              include {{directory}}/tenantportal.conf;
            }
            """);

        var start = new ProcessStartInfo(nginx) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in new[] { "-p", directory, "-c", main, "-e", Path.Combine(directory, "error.log") })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var frontDoor = new NginxFrontDoor(process, directory, address);
        try
        {
            await frontDoor.WaitUntilReadyAsync(await File.ReadAllTextAsync(certificate));
        }
        catch
        {
            await frontDoor.DisposeAsync();
            throw;
        }
        return frontDoor;
    }

    /// <summary>The access log so far, one request a line.</summary>
    public IReadOnlyList<string> AccessLog()
    {
        var file = Path.Combine(_directory, "access.log");
        if (!File.Exists(file))
            return [];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Waits until the access log has, after its first <paramref name="skip"/> lines, a line for <paramref name="request"/>
    /// (method and path, query ignored, e.g. <c>POST /_blazor/negotiate</c>) answered by an instance, and returns the port of the instance that answered the
    /// last such line (when nginx tried several, the last one it names).
    /// </summary>
    public async Task<int> AnsweringPortAsync(string request, int skip)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Generous);
        while (true)
        {
            var answered = AccessLog().Skip(skip).Select(line => AccessLine().Match(line))
                .Where(m => m.Success && m.Groups["method"].Value + " " + m.Groups["path"].Value == request && m.Groups["status"].Value != "502")
                .Select(m => m.Groups["upstream"].Value.Split(", ")[^1])
                .Where(upstream => upstream.StartsWith("127.0.0.1:", StringComparison.Ordinal))
                .ToList();
            if (answered.Count > 0)
                return int.Parse(answered[^1]["127.0.0.1:".Length..], System.Globalization.CultureInfo.InvariantCulture);
            if (timeout.IsCancellationRequested)
                throw new TimeoutException($"nginx's access log has no answered '{request}' after line {skip} within {TestTimeouts.Generous}:\n{string.Join('\n', AccessLog())}");
            await Task.Delay(100);
        }
    }

    /// <summary>Stops this nginx (master and workers) and removes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The temp folder is cleaned by the system.
        }
    }

    private async Task WaitUntilReadyAsync(string certificatePem)
    {
        using var expected = X509Certificate2.CreateFromPem(certificatePem);
        // Only this nginx's own certificate is accepted.
        using var client = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.RawData.AsSpan().SequenceEqual(expected.RawData),
        })
        { BaseAddress = Address, Timeout = TestTimeouts.Generous };
        using var timeout = new CancellationTokenSource(TestTimeouts.Generous);
        HttpStatusCode? last = null;
        while (!timeout.IsCancellationRequested)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"nginx stopped (exit code {_process.ExitCode}):\n{ErrorLog()}");
            try
            {
                using var response = await client.GetAsync("health/ready", timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
                last = response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException)
            {
                break;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Address}health/ready did not answer 200 through nginx within {TestTimeouts.Generous} (last: {last}):\n{ErrorLog()}");
    }

    private string ErrorLog()
    {
        var file = Path.Combine(_directory, "error.log");
        return File.Exists(file) ? File.ReadAllText(file) : "(no error log)";
    }

    private static string Executable(string name, string usual)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.GetDirectoryName(usual)!)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException($"The tests behind nginx need {name}, which is not installed. {Install}");
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Generous);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await errors}");
    }

    [GeneratedRegex("""^\S+ \[[^\]]+\] "(?<method>\S+) (?<path>[^?" ]+)[^"]*" (?<status>\d{3}) upstream=(?<upstream>.*)$""")]
    private static partial Regex AccessLine();
}
