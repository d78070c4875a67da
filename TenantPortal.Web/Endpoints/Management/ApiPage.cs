namespace TenantPortal.Web.Endpoints.Management;

/// <summary>One page of a list: the items and, when there are more, the cursor of the next page.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> to get the next page; null on the last page.</param>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, string? NextCursor);
