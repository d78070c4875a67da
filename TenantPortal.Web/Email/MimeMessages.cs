using MimeKit;
using TenantPortal.Core.Notifications;

namespace TenantPortal.Web.Email;

/// <summary>Builds the MIME message both senders hand over.</summary>
internal static class MimeMessages
{
    public static MimeMessage Create(OutgoingEmail email, string from, DateTimeOffset now)
    {
        var message = new MimeMessage { Subject = email.Subject, Date = now };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(email.To));
        var body = new BodyBuilder { TextBody = email.TextBody, HtmlBody = email.HtmlBody };
        message.Body = body.ToMessageBody();
        return message;
    }
}
