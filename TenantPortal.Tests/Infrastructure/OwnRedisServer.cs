using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// A redis-server process of the test's own on a free loopback port, for tests that flush it or stop it (the shared one
/// of <see cref="TestRedis"/> is used by others). Nothing is persisted: a restart starts empty, as after a FLUSHALL.
/// Fails with an install hint when redis-server is missing.
/// </summary>
public sealed class OwnRedisServer : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tenantportal-redis-").FullName;
    private Process? _process;

    private OwnRedisServer(int port) => Port = port;

    /// <summary>The port it listens on (kept across <see cref="StopAsync"/> and <see cref="StartAsync"/>).</summary>
    public int Port { get; }

    /// <summary>
    /// A StackExchange.Redis connection string for it, with short timeouts so that a stopped server is noticed quickly,
    /// and admin commands (FLUSHALL) allowed.
    /// </summary>
    public string Configuration => $"127.0.0.1:{Port},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000,allowAdmin=true";

    /// <summary>Starts a server on a free port and waits until it answers.</summary>
    public static async Task<OwnRedisServer> StartNewAsync()
    {
        var server = new OwnRedisServer(FreePort());
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts (again) and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: apt-get install redis-server (deploy/test-servers.sh up installs it too).", ex);
        }
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TestTimeouts.Generous;
        while (!await AnswersPingAsync())
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"redis-server on port {Port} exited with code {_process.ExitCode}.");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"redis-server on port {Port} did not answer PING within {TestTimeouts.Generous}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Stops the process (Redis unreachable until <see cref="StartAsync"/>).</summary>
    public async Task StopAsync()
    {
        if (_process is null)
            return;
        if (!_process.HasExited)
            _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
