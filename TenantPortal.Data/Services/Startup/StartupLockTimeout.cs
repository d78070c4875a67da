namespace TenantPortal.Data.Services.Startup;

/// <summary>How long an instance waits for another's start-up step: such a step takes milliseconds, so this is a stuck one.</summary>
public static class StartupLockTimeout
{
    /// <summary>The longest wait for a start-up lock.</summary>
    public static readonly TimeSpan Value = TimeSpan.FromSeconds(60);

    /// <summary>The error when the lock was not granted in time.</summary>
    public static TimeoutException Error(string name, Exception? inner = null) => new(
        $"The start-up lock '{name}' was not granted within {Value.TotalSeconds:0} s: another instance holding it may be stuck in its start-up.", inner);
}
