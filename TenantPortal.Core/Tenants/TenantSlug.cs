using System.Text;
using TenantPortal.Core.Common;

namespace TenantPortal.Core.Tenants;

/// <summary>The rules of a tenant slug: lower-case <c>a-z0-9-</c>, 3–63 characters, no leading or trailing hyphen, not reserved.</summary>
public static class TenantSlug
{
    /// <summary>Shortest slug.</summary>
    public const int MinLength = 3;

    /// <summary>Longest slug (a DNS label, so that <c>{slug}.{RootDomain}</c> works).</summary>
    public const int MaxLength = 63;

    /// <summary>Slugs that collide with the portal's own routes or host names.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "ops", "api", "hangfire", "account", "admin", "app", "www", "t", "health", "metrics",
        "invitations", "login", "logout", "register", "static", "assets", "_content", "_framework",
        "_blazor", "openapi", "docs", "status", "billing", "support", "mail", "help", "new",
    };

    /// <summary>Checks a slug; the error names the field <c>slug</c>.</summary>
    public static Result Validate(string? slug)
    {
        if (string.IsNullOrEmpty(slug))
            return Error.Invalid("slug", "The slug is required.");
        if (PlainText.IndexOfRefused(slug) is var refused and >= 0)
            return PlainText.Refusal("slug", "The slug", slug, refused);
        if (slug.Length is < MinLength or > MaxLength)
            return Error.Invalid("slug", $"The slug must be {MinLength} to {MaxLength} characters long.");
        foreach (var c in slug)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
                return Error.Invalid("slug", "The slug may contain only lower-case letters a-z, digits and hyphens.");
        }
        if (slug[0] == '-' || slug[^1] == '-')
            return Error.Invalid("slug", "The slug can't start or end with a hyphen.");
        if (Reserved.Contains(slug))
            return Error.Invalid("slug", $"'{slug}' is reserved; choose another slug.");
        return Result.Success();
    }

    /// <summary>Suggests a slug from a display name: "Acme Corp." gives "acme-corp".</summary>
    public static string Suggest(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
                sb.Append(c);
            else if (char.IsWhiteSpace(c) || c is '-' or '_' or '.' or '/' or '&')
            {
                if (sb.Length > 0 && sb[^1] != '-')
                    sb.Append('-');
            }
        }
        var slug = sb.ToString().Trim('-');
        if (slug.Length > MaxLength)
            slug = slug[..MaxLength].TrimEnd('-');
        if (slug.Length < MinLength)
            slug = (slug + "-team").TrimStart('-');
        return Reserved.Contains(slug) ? slug + "-team" : slug;
    }
}
