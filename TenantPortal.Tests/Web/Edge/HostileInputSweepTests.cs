using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Edge;

/// <summary>
/// Fires a table of hostile inputs at every route of the endpoint table of a Production portal — headers, route values,
/// query strings, JSON bodies and the fields of every form — as the caller each route expects (the owner's cookie, the
/// operator's, an API key with every scope) and anonymously, and fails on any 5xx or dropped connection, listing each.
/// </summary>
public partial class HostileInputSweepTests(HostileInputSweepFixture sweep) : IClassFixture<HostileInputSweepFixture>
{
    private const int Parallelism = 4;

    /// <summary>One hostile header at a time on an otherwise ordinary request.</summary>
    public static readonly (string Name, string Value)[] Headers =
    [
        ("Content-Type", ""), ("Content-Type", "application/json; charset=utf-1"), ("Content-Type", "multipart/form-data"),
        ("Content-Type", "multipart/form-data; boundary="), ("Content-Type", "application/x-www-form-urlencoded; charset=bogus"),
        ("Content-Type", "text/plain; charset=\""), ("Content-Type", "a/b/c"), ("Content-Type", "application/json;;;=;"),
        ("Accept", ""), ("Accept", "*/*;q=x"), ("Accept", "application/json;q=2, text/html;q=-1"), ("Accept", "\u00e9/\u00e9"),
        ("Accept-Encoding", "gzip;q=abc, br;q=-1, *;q=9"), ("Accept-Language", "xx-XX;q=abc, *;q=99, \u00ff"),
        ("If-Match", "garbage"), ("If-Match", "\"unterminated"), ("If-Match", "W/\"x\", *"), ("If-Match", new string('"', 4000)),
        ("If-None-Match", "\"x"), ("If-Modified-Since", "yesterday"), ("If-Unmodified-Since", "Mon, 99 Foo 99999 99:99:99 GMT"),
        ("Range", "bytes=abc"), ("Range", "bytes=999999999999-1"), ("Range", "bytes=-0,0-,1-1-1"),
        ("Cookie", ".AspNetCore.Identity.Application=garbage"), ("Cookie", ".AspNetCore.Identity.Application=CfDJ8" + new string('A', 300)),
        ("Cookie", ".AspNetCore.Antiforgery.x=%%%; .AspNetCore.Culture=c=\u00ff|uic=zz"), ("Cookie", "=;=;;;==="),
        ("Cookie", "a=" + new string('b', 6000)), ("Cookie", "Identity.StatusMessage=%00%0d%0a"),
        ("Authorization", "Bearer"), ("Authorization", "Bearer "), ("Authorization", "Bearer tp_"), ("Authorization", "Bearer tp_live_" + new string('x', 6000)),
        ("Authorization", "Bearer tp_live_\u00ff\u00fe"), ("Authorization", "Basic !!!"), ("Authorization", "Negotiate abc"), ("Authorization", "Bearer a b c"),
        ("X-Forwarded-For", "garbage, , ::::"), ("X-Forwarded-Proto", "https, http, gopher"), ("X-Forwarded-Host", "evil.example"),
        ("X-Forwarded-Prefix", "/evil"), ("Origin", "null"), ("Origin", "http://["), ("Referer", "http://[::1"),
        ("Stripe-Signature", "t=abc,v1=zz"), ("Stripe-Signature", "t=99999999999999999999,v1=" + new string('0', 64)),
        ("Content-Length", "0"), ("X-HTTP-Method-Override", "DELETE"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
    ];

    /// <summary>Query strings added to each route.</summary>
    public static readonly string[] Queries =
    [
        "limit=-1&cursor=%25%25&from=x&to=y&granularity=zz&metric=%00&format=bogus&action=%0d%0a&actor=%ff",
        "limit=99999999999999999999999&cursor=" + new string('A', 3000) + "&from=0001-01-01&to=9999-12-31T23:59:59Z",
        "limit=1&limit=2&cursor=a&cursor=b&metric=api_calls&metric=gpu_hours",
        "token=%ff%fe&code=!!!&userId=%00&email=%40&returnUrl=//evil.example&ReturnUrl=%09/evil&message=%3Cscript%3E",
        "checkout=success&session_id=%00&page=-5&tab=%ff&status=Bogus&tier=Gold&search=" + new string('%', 1) + "25",
        "a=%uD800&b=%E0%A4%A&%=%&&&==&",
        "handler=x&_handler=x&__RequestVerificationToken=x",
    ];

    /// <summary>Values put in place of each route parameter.</summary>
    public static readonly string[] RouteValues =
    [
        "%00", "..%2F..%2Fetc", new string('a', 2000), "-1", "99999999999999999999", "%C0%AE", "%E4", "%20", "{x}",
        "00000000-0000-0000-0000-000000000000", "ACME%0D%0ASet-Cookie:x=1", "%ff%fe",
    ];

    /// <summary>JSON bodies for the API's body routes: malformed, of the wrong shape, with extreme values.</summary>
    public static readonly string[] JsonBodies =
    [
        "", "{", "[]", "null", "\"x\"", "1e999999", new string('[', 5000) + new string(']', 5000),
        "{\"events\":[" + string.Join(",", Enumerable.Repeat("{}", 1200)) + "]}",
        "{\"events\":[{\"id\":\"\\u0000\",\"metric\":\"api_calls\",\"quantity\":1e308,\"timestamp\":\"9999-12-31T23:59:59+14:00\"}]}",
        "{\"events\":[{\"id\":\"x\",\"metric\":\"api_calls\",\"quantity\":-0,\"timestamp\":\"0001-01-01T00:00:00-14:00\"}]}",
        "{\"metric\":\"gpu_hours\",\"amount\":79228162514264337593543950336}", "{\"metric\":[],\"amount\":{}}",
        "{\"name\":null,\"billingEmail\":[],\"customDomain\":{}}", "{\"name\":\"" + new string('x', 60_000) + "\"}",
        "{\"customDomain\":\"xn--a\"}", "{\"customDomain\":\"\\ud800.example\"}", "{\"role\":\"Owner,Viewer\"}", "{\"role\":1}",
        "{\"email\":\"a@b.c\",\"role\":\"Member\",\"expiresInDays\":1e10}", "{\"email\":\"\\u0000@x.y\",\"role\":\"Member\",\"expiresInDays\":-5}",
        "{\"tier\":\"Enterprise\",\"cycle\":\"Weekly\"}", "{\"tier\":null,\"cycle\":null}", "{\"atPeriodEnd\":\"yes\"}",
        "{\"__proto__\":{},\"constructor\":1}",
        "{\"name\":\"\\ud800\",\"billingEmail\":\"\\udc00@x.example\"}", "{\"\\ud800\":1}", "{\"role\":\"\\ud800\"}",
        "{\"email\":\"\\udfff@x.example\",\"role\":\"Member\"}", "{\"tier\":\"\\ud800\",\"cycle\":\"Monthly\"}",
        "{\"metric\":\"\\ud800\",\"amount\":1}", "{\"metric\":\"gpu_hours\",\"amount\":1,\"\\udbff\":2}",
        "{\"events\":[{\"id\":\"\\ud800\",\"metric\":\"api_calls\",\"quantity\":1,\"timestamp\":\"2026-01-01T00:00:00Z\"}]}",
        "{\"events\":[{\"id\":\"ok\",\"metric\":\"\\ud800\",\"quantity\":1,\"timestamp\":\"\\udc00\"}]}",
    ];

    /// <summary>Values put in each field of each form.</summary>
    public static readonly string[] FormValues =
    [
        "", new string('a', 40_000), "\u0000", "a\u202eb", "-1", "1e400", "true,false", "<script>alert(1)</script>", "%", "null",
        "x@y", "2026-13-45", "\ud800",
    ];

    private readonly ConcurrentBag<string> _failures = [];

    [Fact]
    public async Task HostileHeaders_NeverGetA5xx()
    {
        await SweepAsync(Targets(), async target =>
        {
            foreach (var (name, value) in Headers)
                await SendAsync(target, target.Path, $"{name}: {Shorten(value)}", request => SetHeader(request, name, value));
        });
    }

    [Fact]
    public async Task HostileQueryStrings_AndAnonymousCallers_NeverGetA5xx()
    {
        await SweepAsync(Targets(), async target =>
        {
            foreach (var query in Queries)
            {
                var path = target.Path + (target.Path.Contains('?') ? "&" : "?") + query;
                await SendAsync(target, path, $"query {Shorten(query)}");
                await SendAsync(target with { Caller = Caller.Anonymous }, path, $"anonymous, query {Shorten(query)}");
            }
        });
    }

    [Fact]
    public async Task HostileRouteValues_NeverGetA5xx()
    {
        await SweepAsync(Targets().Where(t => t.Endpoint.RoutePattern.Parameters.Count > 0), async target =>
        {
            foreach (var parameter in target.Endpoint.RoutePattern.Parameters)
            {
                foreach (var value in RouteValues)
                    await SendAsync(target, Concrete(target.Endpoint, parameter.Name, value), $"{{{parameter.Name}}} = {Shorten(value)}");
            }
        });
    }

    [Fact]
    public async Task HostileJsonBodies_NeverGetA5xx()
    {
        await SweepAsync(Targets().Where(t => t.Path.StartsWith("/api/", StringComparison.Ordinal) && t.Method is "POST" or "PATCH" or "PUT"), async target =>
        {
            foreach (var body in JsonBodies)
            {
                await SendAsync(target, target.Path, $"body {Shorten(body)}", request =>
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json"));
            }
        });
    }

    [Fact]
    public async Task HostileFormFields_NeverGetA5xx()
    {
        var pages = Targets().Where(t => t.Method == "GET" && t.Endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null).ToList();
        Assert.NotEmpty(pages);
        var forms = 0;
        await SweepAsync(pages, async target =>
        {
            using var client = Client();
            using var get = new HttpRequestMessage(HttpMethod.Get, target.Path);
            Apply(target.Caller, get);
            using var page = await client.SendAsync(get);
            var html = await page.Content.ReadAsStringAsync();
            var cookie = string.Join("; ", new[] { CookieOf(target.Caller) }
                .Concat(page.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]) : [])
                .Where(c => !string.IsNullOrEmpty(c)));
            foreach (Match form in PostForm().Matches(html))
            {
                var action = WebUtility.HtmlDecode(form.Groups["action"].Value);
                // Logging out would end the session the rest of the sweep uses; the logout endpoint has its own tests.
                if (action.Contains("Logout", StringComparison.OrdinalIgnoreCase))
                    continue;
                Interlocked.Increment(ref forms);
                var fields = Field().Matches(form.Value).ToDictionary(f => WebUtility.HtmlDecode(f.Groups["name"].Value),
                    f => WebUtility.HtmlDecode(f.Groups["value"].Value), StringComparer.Ordinal);
                var url = string.IsNullOrEmpty(action) ? target.Path : action.StartsWith('/') ? action : "/" + action;
                var editable = fields.Keys.Where(k => k is not "__RequestVerificationToken" and not "_handler").ToList();
                foreach (var name in editable.Append("Input.NoSuchField").Append("Input[0]").Append(new string('k', 5000)))
                {
                    foreach (var value in FormValues)
                    {
                        var posted = new Dictionary<string, string>(fields) { [name] = value };
                        await SendAsync(target with { Method = "POST", Caller = Caller.Anonymous }, url, $"form {url} {Shorten(name)} = {Shorten(value)}", request =>
                        {
                            request.Headers.TryAddWithoutValidation("Cookie", cookie);
                            request.Content = new FormUrlEncodedContent(posted);
                        });
                    }
                }
            }
        });
        Assert.True(forms > 5, $"Only {forms} forms were found to sweep.");
    }

    // Every route, with valid values for its parameters, once per method, as the caller the route expects.
    private List<Target> Targets()
    {
        var targets = new List<Target>();
        var staticAssets = 0;
        foreach (var endpoint in sweep.Endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            // The test server's own throwing routes (ProductionProbeStartupFilter) are meant to fail.
            if (pattern.Contains("_test/", StringComparison.Ordinal))
                continue;
            // Thousands of fingerprinted static files behave alike: a few of them stand for all.
            if (endpoint.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor") && ++staticAssets > 3)
                continue;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } declared ? declared : ["GET", "POST"];
            var path = Concrete(endpoint, null, null);
            var caller = pattern.StartsWith("/api/v1/stripe", StringComparison.Ordinal) ? Caller.Anonymous
                : pattern.StartsWith("/api", StringComparison.Ordinal) ? Caller.ApiKey
                : pattern.StartsWith("/ops", StringComparison.Ordinal) || pattern.StartsWith("/hangfire", StringComparison.Ordinal) ? Caller.Operator
                : Caller.Owner;
            foreach (var method in methods)
            {
                // Signing out would end the session the rest of the sweep uses (it needs a token anyway).
                if (pattern == "/Account/Logout")
                    continue;
                targets.Add(new Target(endpoint, method, path, caller));
            }
        }
        Assert.True(targets.Count > 60, $"Only {targets.Count} routes in the endpoint table.");
        return targets;
    }

    // The route's path with valid values for its parameters, one of them replaced by a hostile value (already URL-encoded).
    private string Concrete(RouteEndpoint endpoint, string? parameter, string? hostile)
    {
        var path = RouteParameter().Replace("/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/'), m =>
        {
            var name = m.Groups["name"].Value;
            if (name == parameter)
                return hostile!;
            var pattern = endpoint.RoutePattern.RawText!;
            return name.ToLowerInvariant() switch
            {
                "slug" => sweep.Slug,
                "number" => sweep.InvoiceNumber,
                "userid" => sweep.MemberId,
                "id" when pattern.Contains("invitations") => sweep.InvitationId.ToString(),
                "id" => sweep.TenantId.ToString(),
                "documentname" => "v1",
                _ => "x",
            };
        });
        return path.Replace("//", "/");
    }

    private async Task SweepAsync(IEnumerable<Target> targets, Func<Target, Task> sweepOne)
    {
        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (target, _) => await sweepOne(target));
        var failures = _failures.Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} hostile inputs got a 5xx or a dropped connection:\n{string.Join('\n', failures.Take(200))}");
    }

    private async Task SendAsync(Target target, string path, string what, Action<HttpRequestMessage>? arrange = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(target.Method), path);
        Apply(target.Caller, request);
        if (target.Method is "POST" or "PATCH" or "PUT" && target.Path.StartsWith("/api/", StringComparison.Ordinal))
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        arrange?.Invoke(request);
        using var client = Client();
        try
        {
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            if ((int)response.StatusCode >= 500)
                _failures.Add($"{(int)response.StatusCode} {target.Method} {Shorten(path)} ({target.Caller}) {what}");
        }
        catch (HttpRequestException ex) when (ex.InnerException is not null && ex.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse)
        {
            _failures.Add($"dropped {target.Method} {Shorten(path)} ({target.Caller}) {what}: {ex.Message}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or HttpRequestException)
        {
            // HttpClient refused to send it (a header it won't write): nothing reached the portal.
        }
    }

    private HttpClient Client()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1,
        };
        var client = new HttpClient(handler) { BaseAddress = sweep.Portal.ServerAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Host = ProductionPortalFactory.PublicHost;
        return client;
    }

    private static void SetHeader(HttpRequestMessage request, string name, string value)
    {
        if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
        {
            request.Content ??= new ByteArrayContent(Encoding.UTF8.GetBytes("{}"));
            request.Content.Headers.Remove(name);
            request.Content.Headers.TryAddWithoutValidation(name, value);
        }
        else if (name == "Cookie")
        {
            var existing = request.Headers.TryGetValues("Cookie", out var values) ? string.Join("; ", values) : "";
            request.Headers.Remove("Cookie");
            request.Headers.TryAddWithoutValidation("Cookie", string.IsNullOrEmpty(existing) ? value : $"{existing}; {value}");
        }
        else
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private void Apply(Caller caller, HttpRequestMessage request)
    {
        if (caller == Caller.ApiKey)
            request.Headers.Authorization = new("Bearer", sweep.ApiKey);
        else if (CookieOf(caller) is { Length: > 0 } cookie)
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
    }

    private string CookieOf(Caller caller) => caller switch
    {
        Caller.Owner => sweep.OwnerCookie,
        Caller.Operator => sweep.OperatorCookie,
        _ => "",
    };

    private static string Shorten(string value) => value.Length <= 80 ? value : $"{value[..60]}…({value.Length} chars)";

    /// <summary>A request to make: the route, the method, the path with valid parameter values, and who calls.</summary>
    public sealed record Target(RouteEndpoint Endpoint, string Method, string Path, Caller Caller)
    {
        public override string ToString() => $"{Method} {Path} as {Caller}";
    }

    /// <summary>Who calls, and how that shows in a request.</summary>
    public enum Caller
    {
        Anonymous,
        Owner,
        Operator,
        ApiKey,
    }

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"<form(?=[^>]*method=""post"")(?:[^>]*action=""(?<action>[^""]*)"")?[^>]*>.*?</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex PostForm();

    [GeneratedRegex(@"<(?:input|select|textarea)[^>]*name=""(?<name>[^""]+)""(?:[^>]*value=""(?<value>[^""]*)"")?", RegexOptions.IgnoreCase)]
    private static partial Regex Field();
}
