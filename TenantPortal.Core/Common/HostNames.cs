using System.Globalization;

namespace TenantPortal.Core.Common;

/// <summary>
/// DNS host names as the portal compares and stores them: lower case, without the one trailing dot a fully qualified
/// name may carry, internationalized names as punycode (<c>bücher.example</c> is <c>xn--bcher-kva.example</c>).
/// </summary>
public static class HostNames
{
    /// <summary>The longest host name DNS allows, in its ASCII form.</summary>
    public const int MaxLength = 253;

    private const int MaxLabelLength = 63;

    // UseStd3AsciiRules: letters, digits and hyphens only (no underscores, spaces or symbols, as in a URL's host).
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>
    /// The normalized form of <paramref name="value"/> (see the class), or null when it is not a DNS host name: empty
    /// labels (<c>a..b</c>, a leading dot, two trailing dots), labels over 63 characters or starting or ending with a
    /// hyphen, characters other than letters, digits and hyphens, an undecodable punycode label (<c>xn--a</c>), more
    /// than 253 characters, or a numeric last label (<c>1.2.3.4</c> is an address, not a name).
    /// </summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength * 4)
            return null;
        var name = value[^1] == '.' ? value[..^1] : value;
        if (name.Length == 0)
            return null;
        string ascii;
        try
        {
            // GetAscii maps Unicode labels to punycode and lower-cases them; ASCII labels only need lower-casing.
            ascii = (name.All(char.IsAscii) ? name : Idn.GetAscii(name)).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (ascii.Length > MaxLength)
            return null;
        var labels = ascii.Split('.');
        if (!labels.All(IsLabel) || labels[^1].All(char.IsAsciiDigit))
            return null;
        if (labels.Any(l => l.StartsWith("xn--", StringComparison.Ordinal)))
        {
            try
            {
                // A punycode label must decode to a valid internationalized label.
                Idn.GetUnicode(ascii);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
        return ascii;
    }

    /// <summary>True when normalized <paramref name="host"/> is <paramref name="domain"/> or one of its subdomains.</summary>
    public static bool IsSameOrSubdomainOf(string host, string domain) =>
        host == domain || host.EndsWith("." + domain, StringComparison.Ordinal);

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= MaxLabelLength && label[0] != '-' && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
