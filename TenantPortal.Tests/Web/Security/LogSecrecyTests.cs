using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Security;

/// <summary>Logs without secrets: API keys, passwords, the webhook secret, and the tokens that travel in URLs.</summary>
[Collection(PortalCollection.Name)]
public class LogSecrecyTests(PortalAppFactory portal)
{
    [Fact]
    public async Task AuthenticatingSigningInAndReceivingWebhooks_LogsNoSecret()
    {
        var wrongPassword = $"Wrong-{Guid.NewGuid():N}";
        var wrongKey = "tp_live_" + Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var invitationToken = $"inv{Guid.NewGuid():N}";
        var resetCode = $"rst{Guid.NewGuid():N}";

        using (var api = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey))
        using (var ok = await api.GetAsync("/api/v1/usage/current"))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using (var forged = ApiKeys.ClientFor(portal, wrongKey))
        using (var refused = await forged.GetAsync("/api/v1/usage/current"))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using (var browser = portal.CreateBrowserLikeClient())
        {
            using var failed = await AccountClient.LogInAsync(browser, "owner@acme.test", wrongPassword);
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
            using var signedIn = await AccountClient.LogInAsync(browser, "owner@acme.test", PortalAppFactory.DemoPassword);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            (await browser.GetAsync($"/invitations/accept?token={invitationToken}")).Dispose();
            (await browser.GetAsync($"/Account/ResetPassword?code={resetCode}")).Dispose();
        }
        using (var stripe = portal.CreateBrowserLikeClient())
        {
            var payload = StripeEventBuilder.Event($"evt_{Guid.NewGuid():N}", "customer.created", DateTimeOffset.UtcNow, new JsonObject { ["id"] = "cus_logs", ["object"] = "customer" });
            using var delivered = await PostWebhookAsync(stripe, payload, StripeEventBuilder.Sign(payload, DateTimeOffset.UtcNow));
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
            using var badSignature = await PostWebhookAsync(stripe, payload, StripeEventBuilder.Sign(payload, DateTimeOffset.UtcNow, "whsec_wrong_" + Guid.NewGuid().ToString("N")));
            Assert.Equal(HttpStatusCode.BadRequest, badSignature.StatusCode);
        }

        var secrets = new Dictionary<string, string>
        {
            ["the demo API key"] = PortalAppFactory.DemoApiKey,
            ["the secret part of the demo API key"] = PortalAppFactory.DemoApiKey[16..],
            ["a refused API key"] = wrongKey,
            ["the demo password"] = PortalAppFactory.DemoPassword,
            ["the operator password"] = PortalAppFactory.OperatorPassword,
            ["a wrong password"] = wrongPassword,
            ["the webhook secret"] = PortalAppFactory.StripeWebhookSecret,
            ["an invitation token"] = invitationToken,
            ["a password reset code"] = resetCode,
        };
        var entries = portal.Logs.Entries.ToList();
        // The capture saw the flows above: the sign-in and the refused delivery are logged (without their secrets).
        Assert.Contains(entries, e => e.Contains("User logged in.", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("A Stripe webhook was refused", StringComparison.Ordinal));
        var leaks = secrets
            .SelectMany(s => entries.Where(e => e.Contains(s.Value, StringComparison.Ordinal)).Select(e => $"{s.Key}: {e}"))
            .ToList();
        Assert.True(leaks.Count == 0, "Secrets in the logs:\n" + string.Join('\n', leaks));
    }

    [Theory]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics")]
    [InlineData("Microsoft.AspNetCore.Routing.EndpointMiddleware")]
    [InlineData("Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware")]
    public void RequestLines_WithTheirQueryStrings_AreNotLogged(string category)
    {
        // These categories write each request's path and query (invitation tokens, reset codes) at Information.
        var logger = portal.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);

        Assert.False(logger.IsEnabled(LogLevel.Information));
    }

    private static Task<HttpResponseMessage> PostWebhookAsync(HttpClient client, string payload, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, TenantPortal.Web.Endpoints.StripeWebhookEndpoints.Route)
        {
            Content = new StringContent(payload, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Stripe-Signature", signature);
        return client.SendAsync(request);
    }
}
