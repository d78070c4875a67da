using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TenantPortal.Core.Notifications;
using TenantPortal.Web.Email;
using TenantPortal.Web.Options;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web;

/// <summary>The SMTP sender against a minimal SMTP server on loopback that records what it receives.</summary>
public class SmtpMailSenderTests
{
    [Fact]
    public async Task Send_HandsTheMessageToTheSmtpServer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = ReceiveOneMessageAsync(listener);
        var sender = new SmtpMailSender(
            Options.Create(new EmailOptions { Mode = "Smtp", From = "portal@example.test" }),
            Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = port, UseTls = false }),
            new FakeTimeProvider());

        await sender.SendAsync(new OutgoingEmail("invitee@example.test", "You are invited", "Accept: https://portal.test/x"), CancellationToken.None);
        var (envelope, data) = await server.WaitAsync(TestTimeouts.Generous);

        Assert.Contains("MAIL FROM:<portal@example.test>", envelope);
        Assert.Contains("RCPT TO:<invitee@example.test>", envelope);
        Assert.Contains("Subject: You are invited", data);
        Assert.Contains("Accept: https://portal.test/x", data);
    }

    private static async Task<(string Envelope, string Data)> ReceiveOneMessageAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        var envelope = new StringBuilder();
        var data = new StringBuilder();
        await writer.WriteLineAsync("220 test.local ESMTP");
        while (await reader.ReadLineAsync() is { } line)
        {
            envelope.AppendLine(line);
            var command = line.Split(' ')[0].ToUpperInvariant();
            switch (command)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-test.local");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 go ahead");
                    while (await reader.ReadLineAsync() is { } body && body != ".")
                        data.AppendLine(body);
                    await writer.WriteLineAsync("250 queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return (envelope.ToString(), data.ToString());
                default:
                    await writer.WriteLineAsync("250 ok");
                    break;
            }
        }
        return (envelope.ToString(), data.ToString());
    }
}
