using System.Net.Sockets;
using System.Text;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// Sends a request as bytes on a socket, for what HttpClient refuses to send (a malformed <c>Host</c>, no <c>Host</c>,
/// HTTP/1.0), and reads the status line, headers and body of the answer.
/// </summary>
public static class RawHttp
{
    /// <summary>The answer to one request.</summary>
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>
    /// Sends <c>{method} {path} {version}</c> with <paramref name="headers"/> (a null <paramref name="host"/> sends no
    /// <c>Host</c> header) and <c>Connection: close</c>, and reads the answer to the end.
    /// </summary>
    public static async Task<Response> SendAsync(Uri server, string method, string path, string? host,
        IEnumerable<string>? headers = null, string version = "HTTP/1.1", string? body = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        await using var stream = tcp.GetStream();
        var request = new StringBuilder($"{method} {path} {version}\r\n");
        if (host is not null)
            request.Append($"Host: {host}\r\n");
        foreach (var header in headers ?? [])
            request.Append(header).Append("\r\n");
        var bodyBytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
            request.Append($"Content-Length: {bodyBytes.Length}\r\n");
        request.Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request.ToString()));
        await stream.WriteAsync(bodyBytes);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, timeout.Token);
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"No HTTP answer to {method} {path} with Host {host ?? "(none)"}: '{text}'");
        var lines = text[..split].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var parsed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            parsed[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return new Response(status, parsed, text[(split + 4)..]);
    }
}
