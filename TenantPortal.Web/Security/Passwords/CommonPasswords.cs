using System.Collections.Frozen;
using System.Text;

namespace TenantPortal.Web.Security.Passwords;

/// <summary>
/// The list of common and breached passwords the portal refuses, read once from the embedded resource
/// <c>common-passwords.txt</c> (one entry a line, <c>#</c> starts a comment). Comparison is on the normalised form
/// (<see cref="Normalize"/>): case, spaces and the separators <c>- _ .</c> do not count, and a password also matches when
/// what is left after stripping trailing digits and symbols is on the list ("Password-2026!" is "password").
/// </summary>
public sealed class CommonPasswords
{
    /// <summary>The manifest name of the embedded list.</summary>
    public const string ResourceName = "TenantPortal.Web.Security.Passwords.common-passwords.txt";

    private readonly FrozenSet<string> _entries;

    /// <summary>Reads the embedded list.</summary>
    public CommonPasswords()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var entries = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var entry = line.Trim();
            if (entry.Length > 0 && !entry.StartsWith('#'))
                entries.Add(Normalize(entry));
        }
        _entries = entries.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>How many distinct normalised entries the list has.</summary>
    public int Count => _entries.Count;

    /// <summary>Lower case, without white space and the separators <c>- _ .</c>.</summary>
    public static string Normalize(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (!char.IsWhiteSpace(c) && c is not ('-' or '_' or '.'))
                builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>True when the password, or its stem without trailing digits and symbols, is on the list.</summary>
    public bool Contains(string password)
    {
        var folded = Normalize(password);
        var stem = Stem(folded);
        return _entries.Contains(folded) || (stem.Length > 0 && _entries.Contains(stem));
    }

    /// <summary>A normalised password without its trailing digits and symbols ("password2026!" → "password").</summary>
    public static string Stem(string folded)
    {
        var end = folded.Length;
        while (end > 0 && !char.IsLetter(folded[end - 1]))
            end--;
        return folded[..end];
    }
}
