namespace TenantPortal.Core.Audit;

/// <summary>The names of audited actions.</summary>
public static class AuditActions
{
    /// <summary>A tenant was created.</summary>
    public const string TenantCreated = "tenant.created";
    /// <summary>A tenant's settings changed.</summary>
    public const string TenantUpdated = "tenant.updated";
    /// <summary>A user joined a tenant.</summary>
    public const string MemberAdded = "member.added";
    /// <summary>An invitation was sent.</summary>
    public const string InvitationCreated = "invitation.created";
    /// <summary>An invoice was issued.</summary>
    public const string InvoiceIssued = "invoice.issued";
    /// <summary>An API key was created.</summary>
    public const string ApiKeyCreated = "api_key.created";
    /// <summary>The bootstrap operator was created.</summary>
    public const string OperatorCreated = "operator.created";
}
