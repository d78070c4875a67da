using System.Security.Cryptography;
using System.Text;

namespace TenantPortal.Core.Common;

/// <summary>Hashes and makes high-entropy secrets (API keys, invitation tokens). They are random, so a plain SHA-256 suffices; no salt or stretching is needed.</summary>
public static class SecretHasher
{
    /// <summary>Lower-case hex SHA-256 of the UTF-8 text.</summary>
    public static string Sha256Hex(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares two hashes in constant time.</summary>
    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    /// <summary>A URL-safe random token of <paramref name="bytes"/> random bytes (default 32 = 256 bits).</summary>
    public static string NewToken(int bytes = 32) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
