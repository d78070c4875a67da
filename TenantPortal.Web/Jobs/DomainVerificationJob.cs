using TenantPortal.Data.Services.Domains;

namespace TenantPortal.Web.Jobs;

/// <summary>
/// The <c>domain-verification</c> recurring job: rechecks every verified domain's TXT record once a day. Safe to run
/// twice, concurrently or late: a domain counts at most one failed check per UTC day, and the admins are told of a
/// loss once (see <see cref="DomainCheckService"/>).
/// </summary>
public sealed class DomainVerificationJob(DomainCheckService checks, ILogger<DomainVerificationJob> logger)
{
    /// <summary>The recurring job id.</summary>
    public const string Id = "domain-verification";

    /// <summary>Daily at 04:20 UTC.</summary>
    public const string Cron = "20 4 * * *";

    /// <summary>Checks every tenant's verified domains; Hangfire passes its shutdown token.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var summary = await checks.RunAsync(cancellationToken);
        logger.LogInformation("Domain verification: {Checked} verified domains checked, {Failed} not found, {Unverified} un-verified",
            summary.Checked, summary.Failed, summary.Unverified);
    }
}
