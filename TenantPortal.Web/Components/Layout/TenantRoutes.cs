namespace TenantPortal.Web.Components.Layout;

/// <summary>Reads the tenant slug out of a <c>/t/{slug}/…</c> address.</summary>
public static class TenantRoutes
{
    /// <summary>The slug of a tenant address, or null when the address is not under <c>/t/</c>.</summary>
    public static string? SlugFromUri(string uri, string baseUri)
    {
        var relative = uri.StartsWith(baseUri, StringComparison.OrdinalIgnoreCase) ? uri[baseUri.Length..] : new Uri(uri).AbsolutePath.TrimStart('/');
        relative = relative.Split('?', '#')[0];
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && parts[0] == "t" ? Uri.UnescapeDataString(parts[1]) : null;
    }
}
