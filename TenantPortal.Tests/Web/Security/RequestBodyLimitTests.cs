using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TenantPortal.Core.Common;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Web.Security;

/// <summary>The API's body limits: a full batch fits with room to spare, an oversized body is a 413 problem and stores nothing.</summary>
[Collection(PortalCollection.Name)]
public class RequestBodyLimitTests(PortalAppFactory portal)
{
    [Fact]
    public async Task LargestRealisticBatch_FitsWellUnderTheLimit_AndIsAccepted()
    {
        var prefix = $"max-{Guid.NewGuid():N}-";
        var body = Batch(prefix, 1_000, FieldLengths.ClientEventId, pad: 0, indented: true);
        Assert.True(body.Length * 2 < RequestBodyLimits.ApiBytes, $"{body.Length:N0} bytes leaves too little headroom");
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);

        using var response = await client.PostAsync("/api/v1/usage", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1_000, await ApiKeys.StoredEventsAsync(portal, "acme", prefix));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OversizedUsageBody_Is413Problem_NamingTheLimit_AndStoresNothing(bool chunked)
    {
        var prefix = $"huge-{Guid.NewGuid():N}-";
        // Ten valid events padded with whitespace past the limit: only the size is wrong.
        var body = Batch(prefix, 10, 20, pad: (int)RequestBodyLimits.ApiBytes, indented: false);
        using var client = ExpectingContinueClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PortalAppFactory.DemoApiKey);
        HttpContent content = chunked
            ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)))
            : new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (chunked)
            content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/usage") { Content = content };
        request.Headers.ExpectContinue = true;
        if (chunked)
            request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(413, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("1 MiB", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(0, await ApiKeys.StoredEventsAsync(portal, "acme", prefix));
    }

    [Fact]
    public async Task OversizedWebhookBody_Is413Problem_NamingItsOwnLimit()
    {
        using var client = ExpectingContinueClient();
        var body = "{\"id\":\"evt_x\"" + new string(' ', (int)RequestBodyLimits.WebhookBytes) + "}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stripe/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("256 KiB", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public void Kestrel_AcceptsAtMostTheDefaultLimit_ForEveryOtherRequest()
    {
        var kestrel = (Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>)
            portal.Services.GetService(typeof(Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>))!;

        Assert.Equal(RequestBodyLimits.DefaultBytes, kestrel.Value.Limits.MaxRequestBodySize);
    }

    private static string Batch(string prefix, int count, int idLength, int pad, bool indented)
    {
        var events = Enumerable.Range(0, count).Select(i => new
        {
            id = (prefix + i).PadRight(idLength, 'x'),
            metric = "storage_gb",
            quantity = 123456.789012m,
            timestamp = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
        });
        var json = JsonSerializer.Serialize(new { events }, new JsonSerializerOptions { WriteIndented = indented });
        return pad == 0 ? json : json[..^1] + new string(' ', pad) + "}";
    }

    // The portal answers an oversized body's 413 from its headers and closes the connection without reading the body: a
    // client still writing the body then fails with a broken pipe instead of reading the answer (it did, now and then).
    // With Expect: 100-continue the client sends the body only once the server asks for it, as an HTTP client should
    // for a large body, so it always reads the 413.
    private HttpClient ExpectingContinueClient() =>
        new(new SocketsHttpHandler { Expect100ContinueTimeout = TestTimeouts.Generous }) { BaseAddress = portal.ServerAddress };
}
