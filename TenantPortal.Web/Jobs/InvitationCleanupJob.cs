using TenantPortal.Data.Services.Invitations;

namespace TenantPortal.Web.Jobs;

/// <summary>The <c>invitation-cleanup</c> recurring job: expires overdue invitations, daily.</summary>
public sealed class InvitationCleanupJob(InvitationCleanupService invitations, ILogger<InvitationCleanupJob> logger)
{
    /// <summary>The recurring job id.</summary>
    public const string Id = "invitation-cleanup";

    /// <summary>Daily at 04:00 UTC.</summary>
    public const string Cron = "0 4 * * *";

    /// <summary>Expires what is due; Hangfire passes its shutdown token.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var expired = await invitations.ExpireAsync(cancellationToken);
        if (expired > 0)
            logger.LogInformation("Expired {Count} invitation(s)", expired);
    }
}
