using System.Net;
using System.Text.Json;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Reading the API's answers in tests: the JSON body, and the checks of a problem body.</summary>
public static class ApiResponses
{
    /// <summary>The response's JSON body.</summary>
    public static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Asserts a problem body: the status, the problem content type, the stable <c>code</c> and, when given, the field it names.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? code, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        if (code is not null)
            Assert.Equal(code, problem.GetProperty("code").GetString());
        if (field is not null)
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), body);
    }
}
