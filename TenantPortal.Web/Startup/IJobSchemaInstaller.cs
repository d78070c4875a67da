namespace TenantPortal.Web.Startup;

/// <summary>
/// Creates or upgrades the job storage's schema on the server database: run by <c>--migrate-only</c> after the
/// migrations, as the deployment login. <c>AddJobs</c> registers the one for <c>Hangfire:Storage</c> (none in memory).
/// </summary>
public interface IJobSchemaInstaller
{
    /// <summary>Brings the job storage's schema up to date.</summary>
    Task InstallAsync(CancellationToken cancellationToken);
}
