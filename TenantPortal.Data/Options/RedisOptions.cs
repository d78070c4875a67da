using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace TenantPortal.Data.Options;

/// <summary>
/// The <c>Redis</c> section: <c>Redis:Configuration</c>, a StackExchange.Redis connection string (e.g.
/// <c>127.0.0.1:6379,password=…</c>). Empty (the default): no Redis, and nothing may ask for it. Set: the server must be
/// reachable when the portal starts; later outages are survived (<c>Metering:QuotaCache=Redis</c> reads the database,
/// <c>RateLimiting:Store=Redis</c> falls back to per-instance shares).
/// </summary>
public sealed record RedisOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Redis";

    /// <summary>The key of the connection string, as errors name it.</summary>
    public const string ConfigurationKey = SectionName + ":Configuration";

    /// <summary>The connection string as configured; empty when Redis is not used.</summary>
    public string Configuration { get; init; } = "";

    /// <summary>Whether a connection string is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Configuration);

    /// <summary>
    /// The client's options: reconnecting in the background after an outage (never failing a command for good because the
    /// first connect failed), with short timeouts so that a server that stopped answering costs a request little.
    /// </summary>
    public ConfigurationOptions ToClientOptions()
    {
        var options = ConfigurationOptions.Parse(Configuration);
        options.AbortOnConnectFail = false;
        return options;
    }

    /// <summary>Reads and checks the section; an unparsable value throws <see cref="InvalidSettingException"/> naming the key.</summary>
    public static RedisOptions Read(IConfiguration configuration)
    {
        var text = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(text))
            return new RedisOptions();
        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(text);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or RedisConnectionException)
        {
            throw new InvalidSettingException(ConfigurationKey, $"not a StackExchange.Redis connection string ({ex.Message}).");
        }
        if (parsed.EndPoints.Count == 0)
            throw new InvalidSettingException(ConfigurationKey, "names no server; use host:port, e.g. 127.0.0.1:6379.");
        return new RedisOptions { Configuration = text };
    }

    /// <summary>Throws <see cref="InvalidSettingException"/> naming <see cref="ConfigurationKey"/> when it is not set but <paramref name="requiredBy"/> needs it.</summary>
    public void Require(string requiredBy)
    {
        if (!IsConfigured)
            throw new InvalidSettingException(ConfigurationKey, $"is required by {requiredBy} (a StackExchange.Redis connection string, e.g. 127.0.0.1:6379).");
    }
}
