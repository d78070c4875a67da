using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;

namespace TenantPortal.Core.ApiKeys;

/// <summary>
/// What an API key may do. A key acts with the authority of an Admin of its tenant, limited to its scopes: each
/// permission of the role table needs one scope, and some permissions are never a key's (creating keys, deleting
/// the tenant, transferring ownership). Changing the subscription is an Owner's right, so only an Owner can create
/// a key with <see cref="ApiKeyScopes.BillingWrite"/>; no one can give a key more than their own role allows.
/// </summary>
public static class ApiKeyScopePolicy
{
    /// <summary>The most scopes a key may carry, written as a space-separated list.</summary>
    public const int MaxScopesLength = 200;

    /// <summary>The scope a key needs for <paramref name="permission"/>; null when no key may do it.</summary>
    /// <remarks><see cref="TenantPermission.ViewOverview"/> needs no particular scope: every key may read its tenant.</remarks>
    public static string? RequiredScope(TenantPermission permission) => permission switch
    {
        TenantPermission.ViewOverview => "",
        TenantPermission.ViewUsage => ApiKeyScopes.UsageRead,
        TenantPermission.CorrectUsage => ApiKeyScopes.UsageWrite,
        TenantPermission.ViewTeam => ApiKeyScopes.MembersRead,
        TenantPermission.InviteMembers or TenantPermission.RemoveMembers or TenantPermission.ChangeRoles => ApiKeyScopes.MembersWrite,
        TenantPermission.EditSettings => ApiKeyScopes.TenantWrite,
        TenantPermission.ViewBilling => ApiKeyScopes.BillingRead,
        TenantPermission.ManageSubscription => ApiKeyScopes.BillingWrite,
        TenantPermission.ViewAuditLog => ApiKeyScopes.AuditRead,
        TenantPermission.ViewWebhooks => ApiKeyScopes.WebhooksRead,
        TenantPermission.ManageWebhooks => ApiKeyScopes.WebhooksWrite,
        TenantPermission.ManageApiKeys or TenantPermission.DeleteTenant or TenantPermission.TransferOwnership
            or TenantPermission.ManageSecurity or TenantPermission.ManageIdentity => null,
        _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, null),
    };

    /// <summary>True when a key with <paramref name="scopes"/> may perform <paramref name="permission"/>.</summary>
    public static bool Allows(IReadOnlyCollection<string> scopes, TenantPermission permission) =>
        RequiredScope(permission) switch
        {
            null => false,
            "" => true,
            var scope => scopes.Contains(scope),
        };

    /// <summary>The role a key acts with for <paramref name="permission"/>: an Admin, or an Owner for the subscription.</summary>
    public static TenantRole ActingRole(TenantPermission permission) =>
        permission == TenantPermission.ManageSubscription ? TenantRole.Owner : TenantRole.Admin;

    /// <summary>The lowest role that may give a key <paramref name="scope"/>.</summary>
    public static TenantRole MinimumRoleToGrant(string scope) =>
        scope == ApiKeyScopes.BillingWrite ? TenantRole.Owner : TenantRole.Admin;

    /// <summary>
    /// Checks the scopes chosen for a new key: at least one, each known, none above <paramref name="creatorRole"/>.
    /// Returns them in the canonical order, space-separated. No choice gives the usage scopes.
    /// </summary>
    public static Result<string> Validate(IEnumerable<string>? requested, TenantRole creatorRole)
    {
        if (requested is null)
            return ApiKeyScopes.Default;
        var chosen = requested.Select(s => s?.Trim() ?? "").Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (chosen.Count == 0)
            return Error.Invalid("scopes", "Choose at least one scope.");
        if (chosen.FirstOrDefault(s => !ApiKeyScopes.All.Contains(s)) is { } unknown)
            return Error.Invalid("scopes", $"'{unknown}' is not a scope; use {string.Join(", ", ApiKeyScopes.All)}.");
        if (chosen.FirstOrDefault(s => MinimumRoleToGrant(s) > creatorRole) is { } tooHigh)
            return new Error(ErrorCodes.RoleEscalation, $"Only an {MinimumRoleToGrant(tooHigh)} can give a key '{tooHigh}'.", "scopes");
        return string.Join(' ', ApiKeyScopes.All.Where(chosen.Contains));
    }

    /// <summary>The scopes of a stored key.</summary>
    public static IReadOnlyList<string> Parse(string scopes) => scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
