namespace TenantPortal.Core.ApiKeys;

/// <summary>The scopes an API key may carry.</summary>
public static class ApiKeyScopes
{
    /// <summary>Report usage.</summary>
    public const string UsageWrite = "usage:write";
    /// <summary>Read usage and check quotas.</summary>
    public const string UsageRead = "usage:read";
    /// <summary>Read members and invitations.</summary>
    public const string MembersRead = "members:read";
    /// <summary>Manage members and invitations.</summary>
    public const string MembersWrite = "members:write";
    /// <summary>Read billing.</summary>
    public const string BillingRead = "billing:read";
    /// <summary>Change the subscription.</summary>
    public const string BillingWrite = "billing:write";
    /// <summary>Change tenant settings.</summary>
    public const string TenantWrite = "tenant:write";
    /// <summary>Read the tenant's audit log.</summary>
    public const string AuditRead = "audit:read";

    /// <summary>List webhook endpoints and deliveries.</summary>
    public const string WebhooksRead = "webhooks:read";

    /// <summary>Create, change, delete webhook endpoints; rotate secrets; resend deliveries.</summary>
    public const string WebhooksWrite = "webhooks:write";

    /// <summary>Every scope.</summary>
    public static readonly IReadOnlyList<string> All =
        [UsageWrite, UsageRead, MembersRead, MembersWrite, BillingRead, BillingWrite, TenantWrite, AuditRead, WebhooksRead, WebhooksWrite];

    /// <summary>The scopes of a key created without a choice.</summary>
    public const string Default = UsageWrite + " " + UsageRead;
}
