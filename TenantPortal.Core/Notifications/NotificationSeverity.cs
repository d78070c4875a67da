namespace TenantPortal.Core.Notifications;

/// <summary>How urgent a notification is.</summary>
public enum NotificationSeverity
{
    /// <summary>For information.</summary>
    Info = 0,
    /// <summary>Something needs attention soon.</summary>
    Warning = 1,
    /// <summary>Something is blocked or failed.</summary>
    Error = 2,
}
