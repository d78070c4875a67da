using System.Text.Json;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Services.Sso;

/// <summary>Reads an issuer's discovery document for "Test connection" and says what it found, or what went wrong.</summary>
public sealed class SsoDiscovery(IHttpClientFactory clients)
{
    // An identity provider that does not answer within this is reported as unreachable.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Fetches and reads <c>{issuer}/.well-known/openid-configuration</c>.</summary>
    public async Task<Result<SsoDiscoveryReport>> ReadAsync(string issuer, CancellationToken cancellationToken)
    {
        var address = SsoIssuer.DiscoveryDocument(issuer);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        JsonDocument document;
        try
        {
            using var client = clients.CreateClient(SsoIssuer.HttpClientName);
            using var response = await client.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
                return Unusable($"{address} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            document = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unusable($"{address} did not answer within {Timeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException ex) when (Outbound.PublicAddressConnector.FindRefusal(ex) is { } refused)
        {
            return Unusable($"{address} can't be used: {refused.Message} The provider must be at a public address.");
        }
        catch (HttpRequestException ex)
        {
            return Unusable($"{address} could not be reached ({ex.HttpRequestError}).");
        }
        catch (JsonException)
        {
            return Unusable($"{address} did not answer with a JSON discovery document.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Unusable($"{address} did not answer with a JSON discovery document.");
            var found = Text(root, "issuer");
            var authorization = Text(root, "authorization_endpoint");
            var token = Text(root, "token_endpoint");
            if (found is null || authorization is null || token is null)
                return Unusable($"The discovery document at {address} lacks its issuer, authorization endpoint or token endpoint.");
            return new SsoDiscoveryReport(found, authorization, token,
                SsoIssuer.Matches(issuer, found),
                Contains(root, "response_types_supported", "code"),
                Contains(root, "code_challenge_methods_supported", "S256"));
        }
    }

    private static Error Unusable(string message) => Error.Invalid("issuer", message);

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Contains(JsonElement root, string name, string wanted) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
        && value.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.String && v.GetString() == wanted);
}
