using System.Security.Cryptography;
using System.Text;
using Microsoft.Net.Http.Headers;
using TenantPortal.Core.Common;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// Entity tags for the API's updatable resources, so two scripts can't silently overwrite each other: a GET returns
/// <c>ETag</c>; an update with <c>If-Match</c> is refused with 412 when the resource changed since. Without
/// <c>If-Match</c> an update applies to whatever is current (the caller chose not to check).
/// </summary>
public static class ApiETag
{
    /// <summary>A strong tag for the given version parts (a concurrency stamp, or the fields an update can change).</summary>
    public static string Of(params object?[] parts)
    {
        var text = string.Join('\u001f', parts.Select(p => p?.ToString() ?? ""));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return $"\"{Convert.ToHexStringLower(hash.AsSpan(0, 12))}\"";
    }

    /// <summary>Sets the response's <c>ETag</c>.</summary>
    public static void Set(HttpResponse response, string etag) => response.Headers.ETag = etag;

    /// <summary>Null when the request may proceed; a 412 error when its <c>If-Match</c> names none of the current tag.</summary>
    public static Error? Check(HttpRequest request, string current)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
            return null;
        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
            return Error.Invalid("If-Match", "If-Match must hold entity tags, e.g. If-Match: \"3f2a…\".");
        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || (!t.IsWeak && t.Tag.Value == current)))
            return null;
        return new Error(ErrorCodes.PreconditionFailed, "The resource changed since you read it (If-Match does not match its ETag); read it again and retry.", "If-Match");
    }
}
