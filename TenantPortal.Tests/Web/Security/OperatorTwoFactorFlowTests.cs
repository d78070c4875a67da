using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantPortal.Data.Identity;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Options;

namespace TenantPortal.Tests.Web.Security;

/// <summary>
/// With <c>Operator:RequireTwoFactor</c> on, over HTTP on the real portal: an operator signed in with a password only
/// is refused every /ops route and /hangfire and told how to set up a second factor; signed in with an authenticator
/// code, the same operator gets in. The setting and the operator's authenticator are put back afterwards (the tests of
/// the collection run one at a time).
/// </summary>
[Collection(PortalCollection.Name)]
public class OperatorTwoFactorFlowTests(PortalAppFactory portal)
{
    private static readonly string[] OpsRoutes = ["/ops", "/ops/tenants", "/ops/jobs", "/ops/audit", "/ops/invoices", "/ops/billing/events", "/ops/operators", "/hangfire"];

    [Fact]
    public async Task AnOperatorWithoutASecondFactor_IsRefused_AndWithOne_GetsIn()
    {
        var cache = portal.Services.GetRequiredService<IOptionsMonitorCache<OperatorOptions>>();
        var settings = portal.Services.GetRequiredService<IOptionsMonitor<OperatorOptions>>().CurrentValue;
        cache.TryRemove(Microsoft.Extensions.Options.Options.DefaultName);
        cache.TryAdd(Microsoft.Extensions.Options.Options.DefaultName, new OperatorOptions { Email = settings.Email, RequireTwoFactor = true });
        try
        {
            using (var passwordOnly = portal.CreateBrowserLikeClient())
            {
                Assert.Equal(HttpStatusCode.Redirect, (await AccountClient.LogInAsync(passwordOnly, PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword)).StatusCode);
                foreach (var route in OpsRoutes)
                {
                    var response = await passwordOnly.GetAsync(route);
                    Assert.True(response.StatusCode is HttpStatusCode.Forbidden || response.Headers.Location?.ToString().Contains("AccessDenied") == true,
                        $"{route} answered {(int)response.StatusCode} {response.Headers.Location}");
                }
                var denied = await passwordOnly.GetStringAsync("/Account/AccessDenied");
                Assert.Contains("operator-2fa-setup", denied);
            }

            var key = await EnableAuthenticatorAsync(true);
            using var withCode = portal.CreateBrowserLikeClient();
            var login = await AccountClient.LogInAsync(withCode, PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword);
            Assert.Contains("LoginWith2fa", login.Headers.Location!.ToString());
            var second = await AccountClient.PostFormAsync(withCode, login.Headers.Location!.ToString(), "login-with-2fa", new()
            {
                ["Input.TwoFactorCode"] = Totp.Code(key, DateTimeOffset.UtcNow),
                ["Input.RememberMachine"] = "false",
            });
            Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
            Assert.EndsWith("/ops", second.Headers.Location!.ToString().TrimEnd('/'), StringComparison.Ordinal);
            foreach (var route in OpsRoutes)
                Assert.Equal(HttpStatusCode.OK, (await withCode.GetAsync(route)).StatusCode);
        }
        finally
        {
            cache.TryRemove(Microsoft.Extensions.Options.Options.DefaultName);
            await EnableAuthenticatorAsync(false);
        }
    }

    private async Task<string> EnableAuthenticatorAsync(bool enable)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var op = (await users.FindByEmailAsync(PortalAppFactory.OperatorEmail))!;
        if (enable)
            await users.ResetAuthenticatorKeyAsync(op);
        await users.SetTwoFactorEnabledAsync(op, enable);
        return (await users.GetAuthenticatorKeyAsync(op))!;
    }
}
