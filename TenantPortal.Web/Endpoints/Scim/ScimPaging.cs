using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Scim;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>
/// <c>startIndex</c> (1-based; below 1 counts as 1) and <c>count</c> (default 100; below 0 counts as 0; at most
/// <see cref="ScimUserService.MaxResults"/>) of a list request, as RFC 7644 §3.4.2.4 says.
/// </summary>
public static class ScimPaging
{
    /// <summary>Resources on a page when the client asks for no count.</summary>
    public const int DefaultCount = 100;

    /// <summary>The page asked for, or an <c>invalidValue</c> error naming the parameter that is not an integer.</summary>
    public static Result<(int StartIndex, int Count)> Read(HttpRequest request)
    {
        var start = 1;
        var count = DefaultCount;
        if (request.Query.TryGetValue("startIndex", out var startText) && !int.TryParse(startText, out start))
            return new Error(ScimErrorCodes.InvalidValue, "startIndex must be an integer (1 is the first resource).", "startIndex");
        if (request.Query.TryGetValue("count", out var countText) && !int.TryParse(countText, out count))
            return new Error(ScimErrorCodes.InvalidValue, "count must be an integer.", "count");
        return (Math.Max(start, 1), Math.Clamp(count, 0, ScimUserService.MaxResults));
    }
}
