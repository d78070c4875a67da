using System.Globalization;
using System.Text;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Arranges usage corrections through the portal's API.</summary>
public static class UsageCorrectionsApi
{
    /// <summary>A correction body backfilling one api_calls event of 5, an hour ago.</summary>
    public static string BackfillBody(string correctionId, string eventId) =>
        "{\"id\":\"" + correctionId + "\",\"reason\":\"late report\",\"events\":[{\"eventId\":\"" + eventId
        + "\",\"action\":\"backfill\",\"metric\":\"api_calls\",\"quantity\":5,\"timestamp\":\""
        + DateTimeOffset.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture) + "\"}]}";

    /// <summary>POSTs a correction body with the client.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string body) =>
        client.PostAsync("/api/v1/usage/corrections", new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>A throwaway tenant with one correction (a backfill); its slug and the correction's id.</summary>
    public static async Task<(string Slug, string CorrectionId)> CorrectedTenantAsync(PortalAppFactory portal)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.UsageWrite));
        var id = "c-" + Guid.NewGuid().ToString("N");
        var response = await PostAsync(client, BackfillBody(id, "late-" + Guid.NewGuid().ToString("N")));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Arranging a correction failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (slug, id);
    }
}
