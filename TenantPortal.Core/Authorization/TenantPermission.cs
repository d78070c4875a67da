namespace TenantPortal.Core.Authorization;

/// <summary>The actions of the role table in PRODUCT.md section 3.</summary>
public enum TenantPermission
{
    /// <summary>See the overview.</summary>
    ViewOverview,
    /// <summary>See usage and quotas.</summary>
    ViewUsage,
    /// <summary>See the team list.</summary>
    ViewTeam,
    /// <summary>Invite people.</summary>
    InviteMembers,
    /// <summary>Remove members.</summary>
    RemoveMembers,
    /// <summary>Change members' roles.</summary>
    ChangeRoles,
    /// <summary>Edit tenant settings.</summary>
    EditSettings,
    /// <summary>Create and revoke API keys.</summary>
    ManageApiKeys,
    /// <summary>See plan and invoices.</summary>
    ViewBilling,
    /// <summary>See the audit log.</summary>
    ViewAuditLog,
    /// <summary>Subscribe, change plan, cancel, reactivate.</summary>
    ManageSubscription,
    /// <summary>Delete the tenant.</summary>
    DeleteTenant,
    /// <summary>Transfer ownership.</summary>
    TransferOwnership,
    /// <summary>Change the tenant's sign-in security (two-factor required for Owners).</summary>
    ManageSecurity,
    /// <summary>Correct reported usage (void, amend, backfill) and revert corrections.</summary>
    CorrectUsage,

    /// <summary>Manage the workspace's verified domains, single sign-on and SCIM provisioning (Admin).</summary>
    ManageIdentity,

    /// <summary>See the workspace's webhook endpoints and their deliveries (Admin).</summary>
    ViewWebhooks,

    /// <summary>Add, change, remove webhook endpoints, rotate their secrets, resend deliveries (Admin).</summary>
    ManageWebhooks,
}
