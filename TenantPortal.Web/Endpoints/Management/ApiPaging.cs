using System.Buffers.Text;
using System.Globalization;
using System.Text;
using TenantPortal.Core.Common;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// Cursor paging for the API's lists: <c>limit</c> (1–100, default 50) and an opaque <c>cursor</c> that encodes the
/// sort key of the last item returned, so pages neither skip nor repeat items when rows are added meanwhile.
/// </summary>
public static class ApiPaging
{
    /// <summary>The default page size.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 100;

    /// <summary>
    /// Checks <c>limit</c> and decodes <c>cursor</c> (null: the first page). Both arrive as text, so that a value the
    /// framework couldn't bind (<c>limit=ten</c>) is a 422 naming the parameter too, not a bare 400.
    /// </summary>
    public static Result<PageRequest> Parse(string? limit, string? cursor)
    {
        var size = DefaultLimit;
        if (limit is not null && !int.TryParse(limit, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out size))
            return Error.Invalid("limit", $"limit must be a whole number between 1 and {MaxLimit}.");
        if (size is < 1 or > MaxLimit)
            return Error.Invalid("limit", $"limit must be between 1 and {MaxLimit}.");
        if (string.IsNullOrEmpty(cursor))
            return new PageRequest(size, null);
        if (cursor.Length > 512 || !Base64Url.IsValid(cursor))
            return Error.Invalid("cursor", "cursor is not one this API returned; start again without it.");
        return new PageRequest(size, Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)));
    }

    /// <summary>
    /// Pages an ordered list in memory: the items after the one whose key is the cursor, at most the limit.
    /// <paramref name="keyOf"/> must be unique and follow the list's order.
    /// </summary>
    public static Result<ApiPage<T>> Page<T>(IReadOnlyList<T> ordered, PageRequest request, Func<T, string> keyOf)
    {
        var start = 0;
        if (request.After is { } after)
        {
            var index = ordered.ToList().FindIndex(i => keyOf(i) == after);
            if (index < 0)
                return Error.Invalid("cursor", "cursor is not one this API returned, or its item is gone; start again without it.");
            start = index + 1;
        }
        var items = ordered.Skip(start).Take(request.Limit).ToList();
        var next = start + items.Count < ordered.Count && items.Count > 0 ? Encode(keyOf(items[^1])) : null;
        return new ApiPage<T>(items, next);
    }

    /// <summary>
    /// One page of a list the API reads: <c>limit</c> and <c>cursor</c> checked first (<see cref="Parse"/>), then the list
    /// read, paged by <paramref name="keyOf"/> (<see cref="Page{T}"/>) and its rows turned into the API's items; the first
    /// error otherwise (the list is not read for a request that is not valid).
    /// </summary>
    public static async Task<Result<ApiPage<TItem>>> ReadPageAsync<TRow, TItem>(string? limit, string? cursor,
        Func<Task<Result<IReadOnlyList<TRow>>>> read, Func<TRow, string> keyOf, Func<TRow, TItem> itemOf)
    {
        var request = Parse(limit, cursor);
        if (!request.IsSuccess)
            return request.Error;
        var list = await read();
        if (!list.IsSuccess)
            return list.Error;
        var page = Page(list.Value, request.Value, keyOf);
        if (!page.IsSuccess)
            return page.Error;
        return new ApiPage<TItem>(page.Value.Items.Select(itemOf).ToList(), page.Value.NextCursor);
    }

    /// <summary>The cursor of an item's key.</summary>
    public static string Encode(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));
}
