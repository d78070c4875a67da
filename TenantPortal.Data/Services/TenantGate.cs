using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;

namespace TenantPortal.Data.Services;

/// <summary>
/// The check every tenant-scoped operation starts with: the actor must be a member of the current tenant
/// (read through the tenant filter) with a role that allows the permission. The role is read from the
/// database on every call, so a removed or demoted member is refused at once. An API key acts as an Admin of its
/// own tenant (an Owner for the subscription), limited to its scopes (<see cref="ApiKeyScopePolicy"/>).
/// </summary>
internal static class TenantGate
{
    /// <summary>The user id an API key's stand-in membership carries: never a real user, so "yourself" rules don't match.</summary>
    public static string ApiKeyUserId(Guid keyId) => $"api_key:{keyId}";

    /// <summary>Why a suspended member is refused everywhere in the tenant.</summary>
    public const string SuspendedMessage = "Your membership of this workspace is suspended by your organization's directory. Ask its administrator to reactivate it.";

    public static async Task<Result<TenantMember>> RequireAsync(PortalDbContext db, Actor actor, TenantPermission permission, CancellationToken cancellationToken)
    {
        if (db.Tenant.TenantId is not { } tenantId)
            return Error.NotFound("No workspace is selected.");
        if (actor.ApiKey is { } key)
            return RequireKey(key, tenantId, permission);
        // The tenant must still exist for everyone: one being deleted is hidden while its memberships wait to be deleted last.
        var member = await db.Members.SingleOrDefaultAsync(m => m.UserId == actor.UserId && db.Tenants.Any(t => t.Id == m.TenantId), cancellationToken);
        if (member is null)
            return Error.NotFound("This workspace was not found among yours.");
        if (member.IsSuspended)
            return Error.Forbidden(SuspendedMessage);
        if (!RolePolicy.Allows(member.Role, permission))
            return Error.Forbidden($"Your role ({member.Role}) does not allow this; it needs {RolePolicy.MinimumRole(permission)} or above.");
        return member;
    }

    private static Result<TenantMember> RequireKey(ApiKeyActor key, Guid tenantId, TenantPermission permission)
    {
        if (key.TenantId != tenantId)
            return Error.NotFound("This workspace was not found.");
        if (!ApiKeyScopePolicy.Allows(key.Scopes, permission))
        {
            return ApiKeyScopePolicy.RequiredScope(permission) is { } scope
                ? new Error(ErrorCodes.MissingScope, $"This API key lacks the scope '{scope}'.")
                : Error.Forbidden("An API key can't do this; sign in to the portal.");
        }
        return new TenantMember { TenantId = tenantId, UserId = ApiKeyUserId(key.KeyId), Role = ApiKeyScopePolicy.ActingRole(permission) };
    }
}
