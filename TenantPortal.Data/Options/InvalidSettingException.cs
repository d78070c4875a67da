namespace TenantPortal.Data.Options;

/// <summary>A setting that stops the app at start-up; the message names the key and what is allowed.</summary>
public sealed class InvalidSettingException(string key, string message) : Exception($"Invalid setting {key}: {message}")
{
    /// <summary>The configuration key at fault, e.g. <c>Database:Provider</c>.</summary>
    public string Key { get; } = key;
}
