using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using TenantPortal.Web.Options;

namespace TenantPortal.Web.Security;

/// <summary>
/// Part of the Operator policy: when <c>Operator:RequireTwoFactor</c> is on, the operator's sign-in must have used a
/// second factor (Identity marks such a sign-in with the claim <c>amr=mfa</c>, and keeps it when the cookie is
/// refreshed). An operator who has not set up two-factor authentication can't have it, and is shown how to.
/// </summary>
public sealed class OperatorTwoFactorRequirement : IAuthorizationRequirement
{
    /// <summary>The claim Identity adds to a sign-in with a second factor.</summary>
    public const string MethodClaim = "amr";

    /// <summary>Its value for a multi-factor sign-in.</summary>
    public const string MultiFactor = "mfa";

    /// <summary>True when the principal signed in with a second factor.</summary>
    public static bool SignedInWithSecondFactor(System.Security.Claims.ClaimsPrincipal user) => user.HasClaim(MethodClaim, MultiFactor);

    /// <summary>Checks the requirement against the options.</summary>
    public sealed class Handler(IOptionsMonitor<OperatorOptions> options) : AuthorizationHandler<OperatorTwoFactorRequirement>
    {
        /// <inheritdoc />
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OperatorTwoFactorRequirement requirement)
        {
            if (options.CurrentValue.RequireTwoFactor != true || SignedInWithSecondFactor(context.User))
                context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }
}
