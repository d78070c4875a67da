using MailKit.Security;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Notifications;
using TenantPortal.Web.Options;

namespace TenantPortal.Web.Email;

/// <summary>Sends over SMTP with MailKit (<c>Email:Mode=Smtp</c>).</summary>
public sealed class SmtpMailSender(IOptions<EmailOptions> email, IOptions<SmtpOptions> smtp, TimeProvider time) : IMailSender
{
    /// <inheritdoc />
    public async Task SendAsync(OutgoingEmail message, CancellationToken cancellationToken)
    {
        var settings = smtp.Value;
        using var client = new MailKit.Net.Smtp.SmtpClient();
        await client.ConnectAsync(settings.Host, settings.Port,
            settings.UseTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, cancellationToken);
        if (!string.IsNullOrEmpty(settings.Username))
            await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
        await client.SendAsync(MimeMessages.Create(message, email.Value.From, time.GetUtcNow()), cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
