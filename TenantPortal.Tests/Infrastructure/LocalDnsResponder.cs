using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// A small DNS server for the tests (RFC 1035, UDP on 127.0.0.1 with a free port): it answers TXT queries from
/// <see cref="Txt"/>, which the test controls, with NXDOMAIN for a name not in it, and answers nothing at all while
/// <see cref="Drop"/> is set (a timeout for the client). <see cref="Queries"/> counts what it was asked.
/// </summary>
public sealed class LocalDnsResponder : IAsyncDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _queries;

    public LocalDnsResponder() => _loop = Task.Run(ServeAsync);

    /// <summary>TXT values by record name (lower case, no trailing dot); each value is one record.</summary>
    public ConcurrentDictionary<string, string[]> Txt { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>While true, queries get no answer.</summary>
    public bool Drop { get; set; }

    /// <summary>How many queries arrived (answered or dropped).</summary>
    public int Queries => Volatile.Read(ref _queries);

    /// <summary>The server as <c>Tenancy:DnsServer</c> takes it: <c>127.0.0.1:port</c>.</summary>
    public string Server => $"127.0.0.1:{((IPEndPoint)_udp.Client.LocalEndPoint!).Port}";

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                    return;
                continue;
            }
            Interlocked.Increment(ref _queries);
            if (Drop || Answer(received.Buffer) is not { } response)
                continue;
            await _udp.SendAsync(response, received.RemoteEndPoint, _stop.Token);
        }
    }

    // Header (12 bytes), the one question copied, then one TXT answer per value (the name as a pointer to the question's).
    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 12)
            return null;
        var offset = 12;
        var labels = new List<string>();
        while (offset < query.Length && query[offset] != 0)
        {
            int length = query[offset];
            if (offset + 1 + length > query.Length)
                return null;
            labels.Add(Encoding.ASCII.GetString(query, offset + 1, length));
            offset += 1 + length;
        }
        var questionEnd = offset + 5; // the root label, QTYPE, QCLASS
        if (questionEnd > query.Length)
            return null;
        var type = (query[offset + 1] << 8) | query[offset + 2];
        var name = string.Join('.', labels);
        var found = Txt.TryGetValue(name, out var values);
        var answers = found && type == 16 ? values! : [];
        using var response = new MemoryStream();
        response.Write(query, 0, 2); // ID
        response.WriteByte((byte)(0x84 | (query[2] & 0x01))); // QR, AA, RD as asked
        response.WriteByte((byte)(0x80 | (found ? 0 : 3))); // RA; NOERROR or NXDOMAIN
        WriteUInt16(response, 1);
        WriteUInt16(response, answers.Length);
        WriteUInt16(response, 0);
        WriteUInt16(response, 0);
        response.Write(query, 12, questionEnd - 12);
        foreach (var value in answers)
        {
            var text = Encoding.UTF8.GetBytes(value);
            var chunks = text.Chunk(255).ToList();
            WriteUInt16(response, 0xC00C);
            WriteUInt16(response, 16); // TXT
            WriteUInt16(response, 1); // IN
            response.Write([0, 0, 0, 60]); // TTL
            WriteUInt16(response, chunks.Sum(c => c.Length + 1));
            foreach (var chunk in chunks)
            {
                response.WriteByte((byte)chunk.Length);
                response.Write(chunk);
            }
        }
        return response.ToArray();
    }

    private static void WriteUInt16(Stream stream, int value)
    {
        stream.WriteByte((byte)(value >> 8));
        stream.WriteByte((byte)value);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
