using System.Globalization;
using TenantPortal.Core.Common;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// Query-string values read as text and checked here, so a bad one is a 422 problem naming the parameter (rather than
/// the framework's bare 400 for a value it can't bind).
/// </summary>
public static class ApiQueryValues
{
    /// <summary>Parses <c>limit</c> and <c>cursor</c> into a page request (see <see cref="ApiPaging.Parse"/>).</summary>
    public static Result<PageRequest> Page(string? limit, string? cursor)
    {
        if (limit is null)
            return ApiPaging.Parse(null, cursor);
        if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            return Error.Invalid("limit", $"limit must be a whole number between 1 and {ApiPaging.MaxLimit}.");
        return ApiPaging.Parse(size, cursor);
    }
}
