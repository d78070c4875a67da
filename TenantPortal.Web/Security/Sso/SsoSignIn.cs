using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Members;
using TenantPortal.Data.Services.Sso;

namespace TenantPortal.Web.Security.Sso;

/// <summary>
/// Turns a finished external sign-in (the provider's answer, validated by the handler and kept in Identity's external
/// cookie) into a portal session: the email must be in the connection's allowed, still verified domains (and verified
/// at the provider when it says); the account is found by its external login or its email, or created just in time
/// (email confirmed, no password); operators are refused; the person becomes a member with the connection's default
/// role through <see cref="MemberProvisioner"/> (seats counted, audited <c>member.added</c>); then the portal's own
/// cookie is issued like after a password log-in (its session recorded).
/// </summary>
public sealed class SsoSignIn(
    SignInManager<PortalUser> signIn,
    SsoDirectory directory,
    MemberProvisioner provisioner,
    IDbContextFactory<PortalDbContext> contexts,
    TimeProvider time,
    ILogger<SsoSignIn> logger)
{
    /// <summary>The authentication method recorded for a single sign-on session.</summary>
    public const string AuthenticationMethod = "sso";

    /// <summary>Completes the sign-in; returns where to go next (the tenant, the page asked for, or the log-in page with a code).</summary>
    public async Task<string> CompleteAsync(HttpContext context, string? returnUrl, CancellationToken cancellationToken)
    {
        var external = await context.AuthenticateAsync(IdentityConstants.ExternalScheme);
        // Whatever happens next, the external cookie has done its work.
        await context.SignOutAsync(IdentityConstants.ExternalScheme);
        if (!external.Succeeded || external.Principal is not { } principal
            || !Guid.TryParseExact(principal.FindFirstValue(TenantSso.ConnectionClaim), "N", out var connectionId))
            return TenantSsoOptionsCache.LoginWith(SsoErrors.Failed);
        var client = await directory.FindClientAsync(connectionId, cancellationToken);
        if (client is null)
            return TenantSsoOptionsCache.LoginWith(SsoErrors.Unavailable);

        var subject = principal.FindFirstValue("sub");
        var email = principal.FindFirstValue("email")?.Trim();
        if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(email) || email.Length > FieldLengths.Email)
            return TenantSsoOptionsCache.LoginWith(SsoErrors.NoEmail);
        // A provider that says whether the address is verified must say yes; one that says nothing is trusted for its domains.
        if (principal.FindFirstValue("email_verified") is { } verified && !string.Equals(verified, "true", StringComparison.OrdinalIgnoreCase))
            return TenantSsoOptionsCache.LoginWith(SsoErrors.EmailUnverified);
        if (SsoDirectory.DomainOf(email) is not { } domain || !client.Domains.Contains(domain, StringComparer.Ordinal))
        {
            logger.LogWarning("Single sign-on through {ConnectionId} refused {Domain}: not an allowed, verified domain", connectionId, SsoDirectory.DomainOf(email));
            return TenantSsoOptionsCache.LoginWith(SsoErrors.Domain);
        }

        var users = signIn.UserManager;
        var provider = TenantSso.LoginProvider(connectionId);
        var user = await users.FindByLoginAsync(provider, subject) ?? await users.FindByEmailAsync(email);
        if (user is not null && await users.IsInRoleAsync(user, PortalRoles.Operator))
            return TenantSsoOptionsCache.LoginWith(SsoErrors.Operator);
        if (user is null)
        {
            var created = await CreateAsync(email, cancellationToken);
            if (created is null)
                return TenantSsoOptionsCache.LoginWith(SsoErrors.Failed);
            user = created;
        }
        if (await users.IsLockedOutAsync(user))
            return TenantSsoOptionsCache.LoginWith(SsoErrors.Locked);
        if (!(await users.GetLoginsAsync(user)).Any(l => l.LoginProvider == provider))
        {
            var linked = await users.AddLoginAsync(user, new UserLoginInfo(provider, subject, client.TenantName));
            if (!linked.Succeeded)
            {
                logger.LogWarning("Single sign-on could not link {Provider} to a user: {Errors}", provider, string.Join("; ", linked.Errors.Select(e => e.Code)));
                return TenantSsoOptionsCache.LoginWith(SsoErrors.Failed);
            }
        }

        var membership = await JoinAsync(client, user, context, cancellationToken);
        if (membership is not null)
            return membership;

        await signIn.SignInAsync(user, isPersistent: false, AuthenticationMethod);
        logger.LogInformation("User signed in through single sign-on of tenant {TenantId}", client.TenantId);
        return LocalReturnUrl.For(string.IsNullOrEmpty(returnUrl) || returnUrl == "/" ? $"/t/{client.Slug}" : returnUrl);
    }

    // Null when the user is (now) a member; else where to go.
    private async Task<string?> JoinAsync(SsoClient client, PortalUser user, HttpContext context, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        using var _ = db.BeginCrossTenantScope("single sign-on: joining the tenant whose identity provider signed the user in, by its id");
        if (await db.Members.AnyAsync(m => m.TenantId == client.TenantId && m.UserId == user.Id, cancellationToken))
            return null;
        var actor = new Actor(user.Id, user.Email ?? user.Id, context.Connection.RemoteIpAddress?.ToString());
        var added = await provisioner.AddAsync(db, client.TenantId, user.Id, user.Email ?? "", client.DefaultRole, actor,
            "signed in through single sign-on", cancellationToken);
        if (added.IsSuccess || added.Error.Code == ErrorCodes.AlreadyMember)
            return null;
        return TenantSsoOptionsCache.LoginWith(added.Error.Code == ErrorCodes.SeatLimitReached ? SsoErrors.Seats : SsoErrors.Failed);
    }

    private async Task<PortalUser?> CreateAsync(string email, CancellationToken cancellationToken)
    {
        var users = signIn.UserManager;
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = time.GetUtcNow() };
        var result = await users.CreateAsync(user);
        if (result.Succeeded)
            return user;
        // Two first sign-ins of the same person at once: the other one created the account.
        if (await users.FindByEmailAsync(email) is { } existing)
            return existing;
        logger.LogWarning("Single sign-on could not create an account: {Errors}", string.Join("; ", result.Errors.Select(e => e.Code)));
        cancellationToken.ThrowIfCancellationRequested();
        return null;
    }
}
