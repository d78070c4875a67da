using TenantPortal.Core.ApiKeys;

namespace TenantPortal.Web.Components.Tenant.Settings;

/// <summary>What each API key scope lets a key do, in words.</summary>
public static class ScopeDescriptions
{
    /// <summary>The description of <paramref name="scope"/>.</summary>
    public static string Of(string scope) => scope switch
    {
        ApiKeyScopes.UsageWrite => "Report usage events.",
        ApiKeyScopes.UsageRead => "Check quotas, read current usage and its history.",
        ApiKeyScopes.MembersRead => "List members and invitations.",
        ApiKeyScopes.MembersWrite => "Invite people, change roles (up to Admin) and remove members.",
        ApiKeyScopes.BillingRead => "Read the subscription and invoices.",
        ApiKeyScopes.BillingWrite => "Change, cancel and reactivate the subscription.",
        ApiKeyScopes.TenantWrite => "Change the workspace's name, billing email and custom domain.",
        ApiKeyScopes.AuditRead => "Read and export the audit log.",
        ApiKeyScopes.WebhooksRead => "List webhook endpoints and their deliveries.",
        ApiKeyScopes.WebhooksWrite => "Add, change and remove webhook endpoints, rotate their secrets, resend deliveries.",
        _ => scope,
    };
}
