using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Common;
using TenantPortal.Core.Invitations;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Identity;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Throwaway tenants with a team, made directly in the portal's database (the demo tenants stay as they are).</summary>
public static class Teams
{
    /// <summary>A throwaway tenant and its owner, admin and member, who joined in that order a second apart.</summary>
    public sealed record Team(string Slug, TeamUser Owner, TeamUser Admin, TeamUser Member);

    /// <summary>A user of a throwaway team.</summary>
    public sealed record TeamUser(string Id, string Email);

    /// <summary>A new tenant on <paramref name="tier"/> (Active) with an owner, an admin and a member.</summary>
    public static async Task<Team> CreateAsync(WebApplicationFactory<Program> portal, SubscriptionTier tier = SubscriptionTier.Starter)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, tier, TenantStatus.Active);
        var owner = await AddMemberAsync(portal, slug, TenantRole.Owner);
        var admin = await AddMemberAsync(portal, slug, TenantRole.Admin);
        var member = await AddMemberAsync(portal, slug, TenantRole.Member);
        return new Team(slug, owner, admin, member);
    }

    /// <summary>A new user who joins the tenant with <paramref name="role"/>, a second after its latest member.</summary>
    public static async Task<TeamUser> AddMemberAsync(WebApplicationFactory<Program> portal, string slug, TenantRole role)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
        var email = $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@team.test";
        var user = new PortalUser
        {
            UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
            EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Users.Add(user);
        var latest = (await db.Members.Where(m => m.TenantId == tenantId).Select(m => m.JoinedAt).ToListAsync()).DefaultIfEmpty(DateTimeOffset.UtcNow.AddHours(-1)).Max();
        db.Members.Add(new TenantMember { TenantId = tenantId, UserId = user.Id, Role = role, JoinedAt = latest.AddSeconds(1) });
        await db.SaveChangesAsync();
        return new TeamUser(user.Id, email);
    }

    /// <summary>A pending invitation of the tenant (as if sent a moment ago by its first member); returns its id.</summary>
    public static async Task<Guid> InviteAsync(WebApplicationFactory<Program> portal, string slug, string email, TenantRole role = TenantRole.Member)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        var invitation = new Invitation
        {
            TenantId = tenantId, Email = email, Role = role, Status = InvitationStatus.Pending, TokenHash = SecretHasher.Sha256Hex(SecretHasher.NewToken()),
            CreatedAt = now, ExpiresAt = now.Add(Invitation.DefaultLifetime), LastSentAt = now, SendCount = 1, InvitedByUserId = "test",
        };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync();
        return invitation.Id;
    }

    /// <summary>The role of the user in the tenant, or null when they are not a member.</summary>
    public static async Task<TenantRole?> RoleAsync(WebApplicationFactory<Program> portal, string slug, string userId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check");
        return await db.Members.Where(m => m.UserId == userId && db.Tenants.Any(t => t.Id == m.TenantId && t.Slug == slug))
            .Select(m => (TenantRole?)m.Role).SingleOrDefaultAsync();
    }

    /// <summary>The tenant's invitations (any status), by email.</summary>
    public static async Task<IReadOnlyList<Invitation>> InvitationsAsync(WebApplicationFactory<Program> portal, string slug)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check");
        return await db.Invitations.AsNoTracking().Where(i => db.Tenants.Any(t => t.Id == i.TenantId && t.Slug == slug)).OrderBy(i => i.Email).ToListAsync();
    }
}
