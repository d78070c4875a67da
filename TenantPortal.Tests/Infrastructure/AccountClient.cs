using System.Net;
using System.Text.RegularExpressions;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Signs in through the real log-in form (antiforgery token and all), as a browser would.</summary>
public static partial class AccountClient
{
    /// <summary>Posts the log-in form; returns the response (a redirect on success).</summary>
    public static Task<HttpResponseMessage> LogInAsync(HttpClient client, string email, string password, string returnUrl = "/") =>
        PostFormAsync(client, $"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}", "login", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.RememberMe"] = "false",
        });

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

    /// <summary>Posts the log-out form as the account pages show it (its antiforgery token taken from <c>/Account/Manage</c>).</summary>
    public static async Task<HttpResponseMessage> LogOutAsync(HttpClient client, string returnUrl = "/")
    {
        var page = await client.GetStringAsync("/Account/Manage");
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, "/Account/Manage has no antiforgery token.");
        return await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["ReturnUrl"] = returnUrl,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
