using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using TenantPortal.Data.Services;

namespace TenantPortal.Web.Security;

/// <summary>
/// The signed-in user of this circuit or request as an <see cref="Actor"/> for the services. The client's IP is
/// captured from the first HTTP request (a circuit has no HttpContext) and handed in by <c>Routes</c>.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    /// <summary>The client's IP address, when known.</summary>
    public string? ClientIp { get; set; }

    /// <summary>The actor, or null when nobody is signed in.</summary>
    public async Task<Actor?> GetActorAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return id is null ? null : new Actor(id, user.Identity?.Name ?? id, ClientIp);
    }

    /// <summary>True when the signed-in user's sign-in used a second factor (see <see cref="OperatorTwoFactorRequirement"/>).</summary>
    public async Task<bool> SignedInWithSecondFactorAsync() =>
        OperatorTwoFactorRequirement.SignedInWithSecondFactor((await authentication.GetAuthenticationStateAsync()).User);

    /// <summary>The signed-in user's email (the Identity user name), or null.</summary>
    public async Task<string?> GetEmailAsync() => (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name;
}
