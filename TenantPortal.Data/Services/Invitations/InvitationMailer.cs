using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Common;
using TenantPortal.Core.Invitations;
using TenantPortal.Core.Notifications;

namespace TenantPortal.Data.Services.Invitations;

/// <summary>
/// Issues invitation tokens and emails the invitation link: shared by the tenant's own invitations and the operators'
/// (a resend from the back-office, an Owner invitation for a tenant created on a customer's behalf). The token is only
/// ever held in memory: the invitation stores its hash.
/// </summary>
public sealed class InvitationMailer(IMailSender mail, TimeProvider time)
{
    /// <summary>Gives a new invitation its token and first sending; returns the token to put in the link.</summary>
    public string Issue(Invitation invitation)
    {
        var now = time.GetUtcNow();
        var token = SecretHasher.NewToken();
        invitation.TokenHash = SecretHasher.Sha256Hex(token);
        invitation.CreatedAt = now;
        invitation.ExpiresAt = now.Add(Invitation.DefaultLifetime);
        invitation.LastSentAt = now;
        invitation.SendCount = 1;
        return token;
    }

    /// <summary>
    /// Prepares a pending invitation to be sent again: a new token (the old link stops working), the same lifetime
    /// counted from now, one more sending. Returns the token; the caller saves, then calls <see cref="SendAsync"/>.
    /// </summary>
    public string Reissue(Invitation invitation)
    {
        var now = time.GetUtcNow();
        var token = SecretHasher.NewToken();
        var lifetime = invitation.ExpiresAt - invitation.CreatedAt;
        invitation.TokenHash = SecretHasher.Sha256Hex(token);
        invitation.CreatedAt = now;
        invitation.ExpiresAt = now + lifetime;
        invitation.LastSentAt = now;
        invitation.SendCount++;
        return token;
    }

    /// <summary>Emails the invitation link with <paramref name="token"/>, naming <paramref name="inviter"/> as who invites.</summary>
    /// <param name="db">A context that can read the invitation's tenant.</param>
    /// <param name="invitation">The saved invitation.</param>
    /// <param name="token">The token issued for it.</param>
    /// <param name="inviter">How the inviting person is shown, usually their email.</param>
    /// <param name="acceptUrl">The absolute address of <c>/invitations/accept</c>; the token is added to it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task SendAsync(PortalDbContext db, Invitation invitation, string token, string inviter, Uri acceptUrl, CancellationToken cancellationToken)
    {
        var tenantName = await db.Tenants.Where(t => t.Id == invitation.TenantId).Select(t => t.Name).SingleAsync(cancellationToken);
        var link = $"{acceptUrl.GetLeftPart(UriPartial.Path)}?token={Uri.EscapeDataString(token)}";
        var text = $"{inviter} invited you to join {tenantName} on TenantPortal as {invitation.Role}.\n\n" +
                   $"Accept the invitation: {link}\n\nThe link works until {invitation.ExpiresAt:d MMMM yyyy HH:mm} UTC.\n";
        var html = $"<p>{System.Net.WebUtility.HtmlEncode(inviter)} invited you to join <b>{System.Net.WebUtility.HtmlEncode(tenantName)}</b> " +
                   $"on TenantPortal as {invitation.Role}.</p><p><a href=\"{System.Net.WebUtility.HtmlEncode(link)}\">Accept the invitation</a></p>" +
                   $"<p>The link works until {invitation.ExpiresAt:d MMMM yyyy HH:mm} UTC.</p>";
        await mail.SendAsync(new OutgoingEmail(invitation.Email, $"You are invited to {tenantName} on TenantPortal", text, html), cancellationToken);
    }
}
