using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Authenticator codes as an authenticator app computes them, for tests that sign in with a second factor.</summary>
public static class Totp
{
    /// <summary>
    /// The code at <paramref name="at"/> for a Base32 authenticator key: RFC 6238 with Identity's parameters (HMAC-SHA1
    /// over 30-second steps, 6 digits).
    /// </summary>
    public static string Code(string base32Key, DateTimeOffset at)
    {
        var key = Base32(base32Key);
        Span<byte> step = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(step, at.ToUnixTimeSeconds() / 30);
        var hash = HMACSHA1.HashData(key, step);
        var offset = hash[^1] & 0x0F;
        var value = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7FFFFFFF) % 1_000_000;
        return value.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var buffer = 0;
        var bytes = new List<byte>();
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c);
            bits += 5;
            if (bits < 8)
                continue;
            bytes.Add((byte)(buffer >> (bits - 8)));
            bits -= 8;
        }
        return [.. bytes];
    }
}
