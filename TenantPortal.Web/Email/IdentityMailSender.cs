using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using TenantPortal.Core.Notifications;
using TenantPortal.Data.Identity;

namespace TenantPortal.Web.Email;

/// <summary>Sends Identity's account emails (confirmation, password reset) through the portal's <see cref="IMailSender"/>.</summary>
public sealed class IdentityMailSender(IMailSender sender) : IEmailSender<PortalUser>
{
    /// <inheritdoc />
    public Task SendConfirmationLinkAsync(PortalUser user, string email, string confirmationLink) =>
        Send(email, "Confirm your email", "Confirm your TenantPortal account by opening this link:", confirmationLink);

    /// <inheritdoc />
    public Task SendPasswordResetLinkAsync(PortalUser user, string email, string resetLink) =>
        Send(email, "Reset your password", "Reset your TenantPortal password by opening this link:", resetLink);

    /// <inheritdoc />
    public Task SendPasswordResetCodeAsync(PortalUser user, string email, string resetCode) =>
        sender.SendAsync(new OutgoingEmail(email, "Reset your password", $"Your TenantPortal password reset code is {resetCode}."), CancellationToken.None);

    // Identity passes links already HTML-encoded (the template's convention).
    private Task Send(string email, string subject, string intro, string encodedLink) =>
        sender.SendAsync(new OutgoingEmail(email, subject,
            $"{intro}\n\n{System.Net.WebUtility.HtmlDecode(encodedLink)}\n",
            $"<p>{HtmlEncoder.Default.Encode(intro)}</p><p><a href=\"{encodedLink}\">{HtmlEncoder.Default.Encode(subject)}</a></p>"), CancellationToken.None);
}
