using System.Net;
using System.Text.RegularExpressions;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// Signs in through the portal's real login form (GET <c>/Account/Login</c>, its hidden fields with the antiforgery
/// token, POST with email and password) and keeps the cookies: a session as a browser has it, for page GETs and circuits.
/// </summary>
public sealed partial class PortalLogin : IDisposable
{
    private PortalLogin(CookieContainer cookies, HttpClient client)
    {
        Cookies = cookies;
        Client = client;
    }

    /// <summary>The session's cookies (authentication and antiforgery).</summary>
    public CookieContainer Cookies { get; }

    /// <summary>An HTTP client of the portal that sends the session's cookies; redirects are not followed.</summary>
    public HttpClient Client { get; }

    /// <summary>The <c>Cookie</c> header the session sends to <paramref name="address"/>.</summary>
    public string CookieHeader(Uri address) => Cookies.GetCookieHeader(address);

    /// <summary>Signs <paramref name="email"/> in; throws when the portal does not answer the POST with the auth cookie.</summary>
    public static async Task<PortalLogin> SignInAsync(Uri baseAddress, string email, string password, CancellationToken cancellationToken)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new SocketsHttpHandler
        {
            CookieContainer = cookies,
            UseCookies = true,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = 16,
        })
        { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        try
        {
            var form = await client.GetStringAsync("Account/Login", cancellationToken);
            var fields = HiddenInput().Matches(form)
                .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))
                .ToList();
            if (!fields.Any(f => f.Key == "__RequestVerificationToken"))
                throw new InvalidOperationException("The login form has no antiforgery token.");
            fields.Add(new("Input.Email", email));
            fields.Add(new("Input.Password", password));
            using var response = await client.PostAsync("Account/Login", new FormUrlEncodedContent(fields), cancellationToken);
            var signedIn = cookies.GetCookies(baseAddress).Any(c => c.Name.Contains("Identity.Application", StringComparison.Ordinal));
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther) || !signedIn)
                throw new InvalidOperationException($"Sign-in of {email} failed: {(int)response.StatusCode}, auth cookie {(signedIn ? "set" : "missing")}.");
            return new PortalLogin(cookies, client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Client.Dispose();

    [GeneratedRegex("""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]+)"[^>]*value="(?<value>[^"]*)"[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
