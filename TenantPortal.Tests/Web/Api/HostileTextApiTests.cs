using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Api;

/// <summary>
/// Every text field of the API refuses control characters and bidirectional controls (<see cref="PlainText"/>): a 422
/// problem whose <c>errors</c> name the field, and nothing of the request stored (read back from the database).
/// </summary>
[Collection(PortalCollection.Name)]
public class HostileTextApiTests(PortalAppFactory portal)
{
    // Each field: how to send a value holding the character, and the name the problem must give it.
    private static readonly Dictionary<string, (string Field, Func<HttpClient, string, string, Task<HttpResponseMessage>> Send)> Fields = new()
    {
        ["PATCH /tenant name"] = ("name", (c, bad, _) => PatchTenantAsync(c, new { name = $"Acme{bad}Corp" })),
        ["PATCH /tenant billingEmail"] = ("billingEmail", (c, bad, _) => PatchTenantAsync(c, new { billingEmail = $"ap{bad}@example.com" })),
        ["PATCH /tenant customDomain"] = ("customDomain", (c, bad, _) => PatchTenantAsync(c, new { customDomain = $"portal{bad}.example.com" })),
        ["POST /invitations email"] = ("email", (c, bad, _) => PostJsonAsync(c, "/api/v1/invitations", new { email = $"ann{bad}@example.com", role = "Member" })),
        ["POST /invitations role"] = ("role", (c, bad, _) => PostJsonAsync(c, "/api/v1/invitations", new { email = "ann@example.com", role = $"Mem{bad}ber" })),
        ["POST /usage events[].id"] = ("events[1].id", (c, bad, prefix) => PostJsonAsync(c, "/api/v1/usage", Batch(
            UsageEvent($"{prefix}ok", "api_calls"), UsageEvent($"{prefix}a{bad}b", "api_calls")))),
        ["POST /usage events[].metric"] = ("events[1].metric", (c, bad, prefix) => PostJsonAsync(c, "/api/v1/usage", Batch(
            UsageEvent($"{prefix}ok", "api_calls"), UsageEvent($"{prefix}2", $"api{bad}calls")))),
        ["POST /quota/check metric"] = ("metric", (c, bad, _) => PostJsonAsync(c, "/api/v1/quota/check", new { metric = $"gpu{bad}hours", amount = 1 })),
        ["GET /usage/history metric"] = ("metric", (c, bad, _) => c.GetAsync($"/api/v1/usage/history?metric={Uri.EscapeDataString($"api{bad}calls")}")),
        ["GET /audit actor"] = ("actor", (c, bad, _) => c.GetAsync($"/api/v1/audit?actor={Uri.EscapeDataString($"ann{bad}@example.com")}")),
        ["GET /audit action"] = ("action", (c, bad, _) => c.GetAsync($"/api/v1/audit?action={Uri.EscapeDataString($"member.{bad}")}")),
        ["POST /usage/corrections id"] = ("id", (c, bad, _) => PostJsonAsync(c, "/api/v1/usage/corrections", Correction($"fix{bad}1", "duplicate", "e-1"))),
        ["POST /usage/corrections reason"] = ("reason", (c, bad, _) => PostJsonAsync(c, "/api/v1/usage/corrections", Correction("fix-1", $"dupli{bad}cate", "e-1"))),
        ["POST /usage/corrections events[].eventId"] = ("events[0].eventId", (c, bad, _) => PostJsonAsync(c, "/api/v1/usage/corrections", Correction("fix-1", "duplicate", $"e{bad}1"))),
        ["a field's name"] = ("body", (c, bad, _) => PatchTenantAsync(c, new Dictionary<string, string> { [$"na{bad}me"] = "Acme" })),
    };

    public static TheoryData<string, string> Cases() => HostileText.Cross(Fields.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileText_Is422NamingTheField_AndStoresNothing(string field, string character)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug));
        var before = await SnapshotAsync(slug);
        var (name, send) = Fields[field];

        var response = await send(client, HostileText.Characters[character], $"hostile-{Guid.NewGuid():N}-");

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, code: null, name);
        var problem = await BodyAsync(response);
        Assert.Contains(HostileText.CodePoint(character), problem.GetProperty("detail").GetString());
        AssertNoRefusedText(problem);
        Assert.Equal(before, await SnapshotAsync(slug));
    }

    // Raw JSON with an escaped lone surrogate (\ud800), which no serializer writes and System.Text.Json can't turn into a string.
    public static TheoryData<string, string, string> UnpairedSurrogates() => new()
    {
        { "PATCH", "/api/v1/tenant", """{"name":"Acme\ud800"}""" },
        { "PATCH", "/api/v1/tenant", """{"na\ud800me":"Acme"}""" },
        { "POST", "/api/v1/invitations", """{"email":"ann\udc00@example.com","role":"Member"}""" },
        { "POST", "/api/v1/invitations", """{"email":"ann@example.com","role":"Mem\ud800ber"}""" },
        { "POST", "/api/v1/usage", """{"events":[{"id":"a\ud800b","metric":"api_calls","quantity":1,"timestamp":"2026-01-01T00:00:00Z"}]}""" },
        { "POST", "/api/v1/usage", """{"events":[{"id":"ok","metric":"api\ud800calls","quantity":1,"timestamp":"2026-01-01T00:00:00Z"}]}""" },
        { "POST", "/api/v1/usage", """{"events":[{"id":"ok","metric":"api_calls","quantity":1,"timestamp":"2026\ud800"}]}""" },
        { "POST", "/api/v1/quota/check", """{"metric":"gpu\ud800hours","amount":1}""" },
    };

    [Theory]
    [MemberData(nameof(UnpairedSurrogates))]
    public async Task AnUnpairedSurrogateEscape_IsA400_NeverA500_AndStoresNothing(string method, string path, string json)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug));
        var before = await SnapshotAsync(slug);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, code: null);
        Assert.Contains("surrogate", (await BodyAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(before, await SnapshotAsync(slug));
    }

    // The problem never carries the refused character back, in a value or a key (e.g. the event's id).
    private static void AssertNoRefusedText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                Assert.True(PlainText.IsClean(element.GetString()), element.GetRawText());
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    AssertNoRefusedText(item);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Assert.True(PlainText.IsClean(property.Name), property.Name);
                    AssertNoRefusedText(property.Value);
                }
                break;
        }
    }

    private static Task<HttpResponseMessage> PatchTenantAsync(HttpClient client, object body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/api/v1/tenant") { Content = Json(body) });

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, object body) => client.PostAsync(path, Json(body));

    // Serialised by System.Text.Json, which writes the characters as \u escapes: the portal gets them as JSON carries them.
    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static object Batch(params object[] events) => new { events };

    private static object Correction(string id, string reason, string eventId) => new { id, reason, events = new[] { new { eventId, action = "void" } } };

    private static object UsageEvent(string id, string metric) =>
        new { id, metric, quantity = 1, timestamp = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O") };

    // What a request could have written for the tenant: its text fields, invitations, usage events and audit entries.
    private async Task<string> SnapshotAsync(string slug)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check");
        var t = await db.Tenants.AsNoTracking().SingleAsync(x => x.Slug == slug);
        var invitations = await db.Invitations.CountAsync(i => i.TenantId == t.Id);
        var events = await db.UsageEvents.CountAsync(e => e.TenantId == t.Id);
        var audit = await db.AuditEntries.CountAsync(a => a.TenantId == t.Id);
        return $"{t.Name}|{t.BillingEmail}|{t.CustomDomain}|{t.ConcurrencyStamp}|{invitations} invitations|{events} events|{audit} audit entries";
    }
}
