using TenantPortal.Core.Notifications;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Keeps every message it is asked to send.</summary>
public sealed class CapturingMailSender : IMailSender
{
    private readonly List<OutgoingEmail> _sent = [];

    public IReadOnlyList<OutgoingEmail> Sent
    {
        get
        {
            lock (_sent)
                return _sent.ToList();
        }
    }

    public Task SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        lock (_sent)
            _sent.Add(email);
        return Task.CompletedTask;
    }
}
