namespace TenantPortal.Web.Components.Tenant.Settings;

/// <summary>The sections of a tenant's Settings tab; each has its own address <c>/t/{slug}/settings/{section}</c>.</summary>
public enum SettingsSection
{
    /// <summary><c>general</c>: name, billing email, custom domain (read-only below Admin).</summary>
    General,
    /// <summary><c>security</c>: owner two-factor (Owner).</summary>
    Security,
    /// <summary><c>api-keys</c>: the tenant's API keys (Admin).</summary>
    ApiKeys,
    /// <summary><c>domains</c>: the tenant's verified domains and their sign-up affiliation (Admin).</summary>
    Domains,
    /// <summary><c>sso</c>: single sign-on with the tenant's OpenID Connect provider (Admin).</summary>
    SingleSignOn,
    /// <summary><c>scim</c>: SCIM provisioning tokens and the group-to-role mapping (Admin).</summary>
    Scim,
    /// <summary><c>audit-log</c>: the tenant's audit log (Admin).</summary>
    AuditLog,
    /// <summary><c>webhooks</c>: endpoints and the delivery log (Admin).</summary>
    Webhooks,
    /// <summary><c>danger-zone</c>: leave (everyone), transfer and delete (Owner).</summary>
    DangerZone,
}
