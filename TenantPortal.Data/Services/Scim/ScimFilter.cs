using System.Text.RegularExpressions;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Services.Scim;

/// <summary>
/// The SCIM filters the service answers: one attribute compared with <c>eq</c> to a string, as directories send them
/// (<c>userName eq "ann@acme.com"</c>, <c>externalId eq "00u1"</c>, <c>emails[type eq "work"].value eq "…"</c>,
/// <c>displayName eq "portal-admins"</c>). Attribute names and the operator are case-insensitive (RFC 7644 §3.4.2.2).
/// Anything else is refused with <c>invalidFilter</c>.
/// </summary>
public sealed partial record ScimFilter(string Attribute, string Value)
{
    /// <summary>The user attribute <c>userName</c> (also <c>emails.value</c> and <c>emails[type eq "work"].value</c>: the email is the userName).</summary>
    public const string UserName = "userName";

    /// <summary>The attribute <c>externalId</c>.</summary>
    public const string ExternalId = "externalId";

    /// <summary>The group attribute <c>displayName</c>.</summary>
    public const string DisplayName = "displayName";

    /// <summary>Parses a filter over users (<paramref name="forGroups"/> false) or groups; null or blank is no filter.</summary>
    public static Result<ScimFilter?> Parse(string? filter, bool forGroups)
    {
        if (string.IsNullOrWhiteSpace(filter))
            return Result<ScimFilter?>.Ok(null);
        var match = Expression().Match(filter.Trim());
        if (!match.Success)
            return Refused(forGroups);
        var key = string.Join(' ', match.Groups["attr"].Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Replace("[ ", "[", StringComparison.Ordinal).Replace(" ]", "]", StringComparison.Ordinal).ToLowerInvariant();
        var attribute = key switch
        {
            "username" when !forGroups => UserName,
            "emails.value" or "emails[type eq \"work\"].value" or "emails[type eq work].value" when !forGroups => UserName,
            "externalid" => ExternalId,
            "displayname" when forGroups => DisplayName,
            _ => null,
        };
        if (attribute is null)
            return Refused(forGroups);
        var value = match.Groups["value"].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        return Result<ScimFilter?>.Ok(new ScimFilter(attribute, value));
    }

    private static Error Refused(bool forGroups) => new(ScimErrorCodes.InvalidFilter, forGroups
        ? "Only the filters displayName eq \"…\" and externalId eq \"…\" are supported for groups."
        : "Only the filters userName eq \"…\", externalId eq \"…\" and emails[type eq \"work\"].value eq \"…\" are supported for users.", "filter");

    // attribute (with an optional [type eq "work"] and .sub-attribute), eq, and a quoted string with \" and \\ escapes.
    [GeneratedRegex("""^(?<attr>[A-Za-z][A-Za-z0-9]*(\[\s*type\s+eq\s+"?work"?\s*\])?(\.[A-Za-z]+)?)\s+[eE][qQ]\s+"(?<value>(?:[^"\\]|\\.)*)"$""", RegexOptions.CultureInvariant, 200)]
    private static partial Regex Expression();
}
