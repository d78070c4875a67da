using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Authorization;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Options;
using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Web.Security;

/// <summary>Operators: the Operator policy (role, and a second factor when required), and where they land after signing in.</summary>
[Collection(PortalCollection.Name)]
public class OperatorAccessTests(PortalAppFactory portal)
{
    private static ClaimsPrincipal Operator(bool secondFactor)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, "op-1"), new(ClaimTypes.Role, PortalRoles.Operator) };
        if (secondFactor)
            claims.Add(new Claim(OperatorTwoFactorRequirement.MethodClaim, OperatorTwoFactorRequirement.MultiFactor));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Identity.Application"));
    }

    private static async Task<bool> AllowedAsync(bool? requireTwoFactor, ClaimsPrincipal user)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<OperatorOptions>().Configure(o => o.RequireTwoFactor = requireTwoFactor);
        services.AddSingleton<IAuthorizationHandler, OperatorTwoFactorRequirement.Handler>();
        services.AddAuthorizationBuilder().AddPolicy(PortalPolicies.Operator, p => p.RequireAuthenticatedUser().RequireRole(PortalRoles.Operator)
            .AddRequirements(new OperatorTwoFactorRequirement()));
        await using var provider = services.BuildServiceProvider();
        return (await provider.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, PortalPolicies.Operator)).Succeeded;
    }

    [Theory]
    [InlineData(true, false, false)]  // required, signed in with a password only: refused
    [InlineData(true, true, true)]    // required, signed in with a second factor: allowed
    [InlineData(false, false, true)]  // not required (Development's default): the role is enough
    public async Task TheOperatorPolicy_AsksForASecondFactor_WhenRequired(bool required, bool secondFactor, bool allowed) =>
        Assert.Equal(allowed, await AllowedAsync(required, Operator(secondFactor)));

    [Fact]
    public async Task ATenantUser_IsNeverAnOperator_EvenWithASecondFactor()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "u-1"),
            new Claim(OperatorTwoFactorRequirement.MethodClaim, OperatorTwoFactorRequirement.MultiFactor)], "Identity.Application"));

        Assert.False(await AllowedAsync(true, user));
        Assert.False(await AllowedAsync(false, user));
    }

    [Fact]
    public void ThePortalsOperatorPolicy_CarriesTheRequirement_AndDevelopmentDoesNotRequireIt()
    {
        var policy = portal.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.GetPolicy(PortalPolicies.Operator)!;

        Assert.Contains(policy.Requirements, r => r is OperatorTwoFactorRequirement);
        Assert.False(portal.Services.GetRequiredService<IOptions<OperatorOptions>>().Value.RequireTwoFactor);
    }

    [Fact]
    public async Task AnOperator_LandsOnOps_AfterSigningIn()
    {
        using var client = portal.CreateBrowserLikeClient();

        var response = await AccountClient.LogInAsync(client, PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/ops", response.Headers.Location!.ToString().TrimEnd('/'), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATenantOwner_LandsWhereTheyAsked()
    {
        using var client = portal.CreateBrowserLikeClient();

        var response = await AccountClient.LogInAsync(client, "owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme/usage");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/t/acme/usage", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>The default of <c>Operator:RequireTwoFactor</c> follows the environment, and a setting overrides it.</summary>
public class OperatorTwoFactorDefaultTests
{
    [Theory]
    [InlineData("Production", null, true)]
    [InlineData("Staging", null, true)]
    [InlineData("Development", null, false)]
    [InlineData("Production", "false", false)]
    [InlineData("Development", "true", true)]
    public void RequireTwoFactor_DefaultsToOnOutsideDevelopment(string environment, string? setting, bool expected)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions { EnvironmentName = environment });
        if (setting is not null)
            builder.Configuration["Operator:RequireTwoFactor"] = setting;
        TenantPortal.Web.Startup.WebServiceExtensions.AddWebServices(builder);
        using var provider = builder.Services.BuildServiceProvider();

        Assert.Equal(expected, provider.GetRequiredService<IOptions<OperatorOptions>>().Value.RequireTwoFactor);
    }
}
