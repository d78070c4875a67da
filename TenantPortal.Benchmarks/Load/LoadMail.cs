using TenantPortal.Core.Common;
using TenantPortal.Core.Notifications;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The mail and links of the load runs' job host: the jobs' notices (billing, credit alerts) are composed as in the
/// portal and counted, not sent; links point at a fixed address.
/// </summary>
public sealed class LoadMail : IMailSender, IPortalAddresses
{
    private int _sent;

    /// <summary>How many emails the jobs composed.</summary>
    public int Sent => _sent;

    /// <inheritdoc />
    public string PublicHost => "portal.load.test";

    /// <inheritdoc />
    public string? RootDomain => null;

    /// <inheritdoc />
    public Uri Link(string pathAndQuery) => new(new Uri("https://portal.load.test/"), pathAndQuery.TrimStart('/'));

    /// <inheritdoc />
    public Task SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _sent);
        return Task.CompletedTask;
    }
}
