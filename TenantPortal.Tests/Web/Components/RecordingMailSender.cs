using TenantPortal.Core.Notifications;

namespace TenantPortal.Tests.Web.Components;

/// <summary>An <see cref="IMailSender"/> that keeps what it is given, for tests to read.</summary>
public sealed class RecordingMailSender : IMailSender
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
