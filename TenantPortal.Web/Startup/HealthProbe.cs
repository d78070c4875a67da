namespace TenantPortal.Web.Startup;

/// <summary>
/// <c>dotnet TenantPortal.Web.dll --health-probe URL</c>: GETs the URL and exits 0 when it answers 2xx, else 1.
/// The container's HEALTHCHECK uses it, since the ASP.NET runtime image has no curl.
/// </summary>
public static class HealthProbe
{
    /// <summary>The argument that selects probe mode.</summary>
    public const string Argument = "--health-probe";

    /// <summary>True when the process was started as a probe.</summary>
    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Argument;

    /// <summary>Probes the URL given after the argument (default the local liveness endpoint).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : "http://127.0.0.1:8080/health/live";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(url);
            Console.WriteLine($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"{url}: {ex.Message}");
            return 1;
        }
    }
}
