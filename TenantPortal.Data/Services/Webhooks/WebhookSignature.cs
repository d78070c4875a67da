using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>
/// The <c>TenantPortal-Signature</c> header, as Stripe signs: <c>t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{body}")}</c>,
/// with one <c>v1</c> per signing secret (two during a rotation's overlap; a receiver accepts any that matches).
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header's name.</summary>
    public const string Header = "TenantPortal-Signature";

    /// <summary>The header's value for <paramref name="body"/> sent at <paramref name="timestamp"/> (unix seconds).</summary>
    public static string Create(long timestamp, string body, IEnumerable<string> secrets)
    {
        var parts = new List<string> { "t=" + timestamp.ToString(CultureInfo.InvariantCulture) };
        parts.AddRange(secrets.Select(s => "v1=" + Compute(s, timestamp, body)));
        return string.Join(',', parts);
    }

    /// <summary>The hex HMAC-SHA256 of <c>"{timestamp}.{body}"</c> with <paramref name="secret"/> (its UTF-8 bytes, as Stripe).</summary>
    public static string Compute(string secret, long timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body)));

    /// <summary>
    /// What a receiver does: true when <paramref name="header"/> holds a <c>v1</c> that <paramref name="secret"/> makes for
    /// <paramref name="body"/>, with a timestamp within <paramref name="tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(string? header, string body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
            return false;
        long? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
                continue;
            if (pair[0] == "t" && long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                timestamp = t;
            else if (pair[0] == "v1")
                signatures.Add(pair[1]);
        }
        if (timestamp is not { } ts || Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds)
            return false;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, ts, body));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }
}
