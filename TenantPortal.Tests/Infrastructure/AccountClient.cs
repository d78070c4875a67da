using System.Net;
using System.Text.RegularExpressions;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Signs in through the real log-in form (antiforgery token and all), as a browser would.</summary>
public static partial class AccountClient
{
    /// <summary>Posts the log-in form; returns the response (a redirect on success).</summary>
    public static async Task<HttpResponseMessage> LogInAsync(HttpClient client, string email, string password, string returnUrl = "/")
    {
        var page = await client.GetStringAsync($"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, "The log-in page has no antiforgery token.");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.RememberMe"] = "false",
        });
        return await client.PostAsync($"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}", form);
    }

    /// <summary>Posts a static-rendered Identity form (antiforgery token and handler name filled in).</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string formName, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(path);
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, $"{path} has no antiforgery token.");
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        fields["_handler"] = formName;
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
