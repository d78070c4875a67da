namespace TenantPortal.Core.Notifications;

/// <summary>Sends email: to a pickup folder (the default) or over SMTP.</summary>
public interface IMailSender
{
    /// <summary>Sends one message; throws when it could not be handed over.</summary>
    Task SendAsync(OutgoingEmail email, CancellationToken cancellationToken);
}
