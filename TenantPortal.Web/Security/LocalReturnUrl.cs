namespace TenantPortal.Web.Security;

/// <summary>
/// Where a form's <c>returnUrl</c> may send the browser: a path of this portal. Leading slashes and backslashes are
/// dropped (so <c>//evil.example</c> is the local path <c>/evil.example</c>), and anything that is still not a plain
/// local path — an absolute URL, control characters (a browser drops a tab, turning <c>/\t/evil.example</c> into
/// <c>//evil.example</c>), a backslash, anything but printable ASCII — is the home page instead.
/// </summary>
public static partial class LocalReturnUrl
{
    /// <summary>The local path for <paramref name="returnUrl"/> (relative to the portal's root or starting with <c>/</c>), or <c>/</c>.</summary>
    public static string For(string? returnUrl)
    {
        // Not Uri.TryCreate(Absolute): on Unix it takes "/t/acme" for a file path.
        if (string.IsNullOrEmpty(returnUrl) || Scheme().IsMatch(returnUrl))
            return "/";
        var path = "/" + returnUrl.TrimStart('/', '\\');
        // Printable ASCII only: no control or bidirectional-override characters, no backslash (browsers read it as '/').
        return path.Any(c => c is < ' ' or > '~' or '\\') || !Uri.IsWellFormedUriString(path, UriKind.Relative) ? "/" : path;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial System.Text.RegularExpressions.Regex Scheme();
}
