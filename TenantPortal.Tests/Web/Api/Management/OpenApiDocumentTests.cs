using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api.Management;

/// <summary>The OpenAPI document is generated from the running app and must describe every /api/v1 route it maps.</summary>
[Collection(PortalCollection.Name)]
public class OpenApiDocumentTests(PortalAppFactory portal)
{
    private async Task<JsonElement> DocumentAsync()
    {
        using var client = portal.CreateBrowserLikeClient();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private IEnumerable<(string Method, string Path)> ApiV1Routes() =>
        portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Path: "/" + e.RoutePattern.RawText!.TrimStart('/')))
            .Where(e => e.Path.StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(e => e.Endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (m.ToLowerInvariant(), e.Path)));

    [Fact]
    public async Task Document_ListsEveryApiV1RouteOfTheApp_WithItsMethod()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        var missing = ApiV1Routes().Where(r => !paths.TryGetProperty(r.Path, out var item) || !item.TryGetProperty(r.Method, out _)).ToList();

        Assert.NotEmpty(ApiV1Routes());
        Assert.True(missing.Count == 0, $"Not in /openapi/v1.json: {string.Join(", ", missing.Select(m => $"{m.Method.ToUpperInvariant()} {m.Path}"))}");
        Assert.All(paths.EnumerateObject(), p => Assert.StartsWith("/api/v1/", p.Name));
    }

    [Fact]
    public async Task Document_DescribesTheKeyScheme_TheScopeOfEachOperation_AndItsProblemCodes()
    {
        var document = await DocumentAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var patch = document.GetProperty("paths").GetProperty("/api/v1/tenant").GetProperty("patch");
        Assert.Equal("tenant:write", patch.GetProperty("security")[0].GetProperty("ApiKey")[0].GetString());
        Assert.Contains("precondition_failed", patch.GetProperty("responses").GetProperty("412").GetProperty("description").GetString());
        Assert.True(patch.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("TenantResponse", out _));
        var webhook = document.GetProperty("paths").GetProperty("/api/v1/stripe/webhook").GetProperty("post");
        Assert.False(webhook.TryGetProperty("security", out _), "The webhook is signed by Stripe, not called with a key.");
    }

    [Fact]
    public async Task Document_GivesEveryOperationASummaryAndResponses_AndEveryRequestBodyASchemaAndAnExample()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        var gaps = new List<string>();
        foreach (var path in paths.EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (!operation.Value.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
                    gaps.Add($"{name}: no summary");
                if (!operation.Value.GetProperty("responses").EnumerateObject().Any(r => r.Name.StartsWith('2')))
                    gaps.Add($"{name}: no success response");
                if (path.Name.EndsWith("/webhook", StringComparison.Ordinal) || !operation.Value.TryGetProperty("requestBody", out var body))
                    continue;
                var json = body.GetProperty("content").GetProperty("application/json");
                if (!json.TryGetProperty("schema", out _))
                    gaps.Add($"{name}: body without a schema");
                if (!json.TryGetProperty("example", out _))
                    gaps.Add($"{name}: body without an example");
            }
        }

        Assert.True(gaps.Count == 0, string.Join("; ", gaps));
    }

    [Fact]
    public async Task ReferencePage_IsServedAtApiDocs_AndLoadsTheDocument()
    {
        using var client = portal.CreateBrowserLikeClient();

        var response = await client.GetAsync("/api/docs/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("TenantPortal API", html);
        Assert.Contains("openapi/v1.json", html);
    }
}
