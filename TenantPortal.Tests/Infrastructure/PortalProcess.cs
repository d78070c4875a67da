using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// The portal started as its own process (<c>dotnet TenantPortal.Web.dll</c>) on a free port: a separate instance
/// with its own memory, Hangfire server and Data Protection defaults, as a second container would be.
/// </summary>
public sealed partial class PortalProcess : IAsyncDisposable
{
    private readonly Process process;

    private PortalProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    /// <summary>Where the instance listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    /// <summary>
    /// Starts the portal with <paramref name="settings"/> as command-line settings and <paramref name="environment"/>
    /// as environment variables, and waits for its start-up banner. <paramref name="dll"/> defaults to the build's
    /// TenantPortal.Web.dll next to the tests.
    /// </summary>
    public static async Task<PortalProcess> StartAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> environment, string? dll = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(dll ?? Path.Combine(AppContext.BaseDirectory, "TenantPortal.Web.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        foreach (var (key, value) in settings)
            start.ArgumentList.Add($"--{key}={value}");
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        var process = Process.Start(start)!;
        // Both pipes are read to the end, so that the instance's logging never blocks on a full pipe.
        var errors = process.StandardError.ReadToEndAsync();
        var output = new StringBuilder();
        using var timeout = new CancellationTokenSource(TestTimeouts.Generous);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                var open = OpenLine().Match(line);
                if (open.Success)
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new PortalProcess(process, new Uri(open.Groups[1].Value.Replace("[::]", "127.0.0.1") + "/"));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Reported below with what the process wrote.
        }
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        var error = await errors;
        process.Dispose();
        throw new InvalidOperationException($"The portal did not start:\n{output}\n{error}");
    }

    /// <summary>A client of this instance that keeps cookies in <paramref name="cookies"/> and does not follow redirects.</summary>
    public HttpClient CreateClient(CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies, UseCookies = true }) { BaseAddress = Address };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    [GeneratedRegex(@"^\s*Open (http://\S+?)/?$")]
    private static partial Regex OpenLine();
}
