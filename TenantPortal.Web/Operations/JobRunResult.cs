namespace TenantPortal.Web.Operations;

/// <summary>How the last run of a job ended, as the jobs page shows it.</summary>
public enum JobRunResult
{
    /// <summary>Never ran (or its run is gone from the storage).</summary>
    None,
    /// <summary>Enqueued or scheduled, not started yet.</summary>
    Waiting,
    /// <summary>Running now.</summary>
    Running,
    /// <summary>Succeeded.</summary>
    Succeeded,
    /// <summary>Failed, and scheduled for an automatic retry.</summary>
    Retrying,
    /// <summary>Failed.</summary>
    Failed,
    /// <summary>Deleted before it ran.</summary>
    Deleted,
}
