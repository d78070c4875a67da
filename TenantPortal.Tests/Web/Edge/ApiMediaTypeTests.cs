using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Edge;

/// <summary>
/// Every <c>/api/v1</c> operation that takes a JSON body (as the OpenAPI document lists them) answers another
/// Content-Type with 415 and a problem body naming the body; a method the route doesn't have is a 405 problem with the
/// route's methods in <c>Allow</c>; and no response names the server software.
/// </summary>
[Collection(PortalCollection.Name)]
public partial class ApiMediaTypeTests(PortalAppFactory portal)
{
    public static TheoryData<string?> WrongContentTypes() => ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/jsonx", null];

    [Theory]
    [MemberData(nameof(WrongContentTypes))]
    public async Task EveryJsonBodyOperation_AnswersAnotherContentType_With415AndAProblem(string? contentType)
    {
        var operations = await JsonBodyOperationsAsync();
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);

        Assert.True(operations.Count >= 7, $"Only {operations.Count} JSON body operations in the document.");
        foreach (var (method, path) in operations)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(path));
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"name\":\"x\"}"));
            if (contentType is not null)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

            using var response = await client.SendAsync(request);

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{method} {path} with {contentType ?? "no Content-Type"}: {(int)response.StatusCode} {body}");
            await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "invalid", "body");
        }
    }

    [Fact]
    public async Task JsonWithACharset_OrAJsonSuffix_IsAccepted()
    {
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);

        foreach (var contentType in new[] { "application/json; charset=utf-8", "Application/JSON", "application/problem+json" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/quota/check");
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"metric\":\"gpu_hours\",\"amount\":1}"));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

            using var response = await client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{contentType}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task AMethodTheRouteDoesNotHave_Is405WithAProblem_AndTheRoutesMethodsInAllow()
    {
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);

        using var response = await client.DeleteAsync("/api/v1/tenant");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["GET", "HEAD", "PATCH"], response.Content.Headers.Allow.Order().ToArray());
    }

    [Fact]
    public async Task AnUnknownApiRoute_Is404WithAProblem_NotTheHtmlNotFoundPage()
    {
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);

        using var response = await client.GetAsync("/api/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/health/live")]
    [InlineData("/api/v1/tenant")]
    [InlineData("/Account/Login")]
    public async Task NoResponse_NamesTheServerSoftware(string path)
    {
        using var client = portal.CreateBrowserLikeClient();

        using var response = await client.GetAsync(path);

        Assert.Empty(response.Headers.Server);
    }

    private async Task<List<(string Method, string Path)>> JsonBodyOperationsAsync()
    {
        using var client = portal.CreateBrowserLikeClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var operations = new List<(string, string)>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (!path.Name.EndsWith("/webhook", StringComparison.Ordinal) && operation.Value.TryGetProperty("requestBody", out var body)
                    && body.GetProperty("content").TryGetProperty("application/json", out _))
                    operations.Add((operation.Name.ToUpperInvariant(), path.Name));
            }
        }
        return operations;
    }

    // Route parameters filled with ids no tenant has: the content type is refused before anything is looked up.
    private static string Concrete(string path) => RouteParameter().Replace(path, Guid.NewGuid().ToString());

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
