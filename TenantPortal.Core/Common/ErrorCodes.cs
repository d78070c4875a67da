namespace TenantPortal.Core.Common;

/// <summary>The stable error codes shared by the services, the API problem bodies and the UI.</summary>
public static class ErrorCodes
{
    /// <summary>Not found, or not visible to the caller.</summary>
    public const string NotFound = "not_found";
    /// <summary>The caller's role does not allow it.</summary>
    public const string Forbidden = "forbidden";
    /// <summary>The tenant asks its Owners for two-factor authentication, and this sign-in has none.</summary>
    public const string TwoFactorRequired = "two_factor_required";
    /// <summary>Bad input.</summary>
    public const string Invalid = "invalid";
    /// <summary>Conflicts with the current state.</summary>
    public const string Conflict = "conflict";
    /// <summary>The last owner of a tenant can't leave, be removed or demoted.</summary>
    public const string LastOwner = "last_owner";
    /// <summary>A role above the actor's own.</summary>
    public const string RoleEscalation = "role_escalation";
    /// <summary>The plan's seat quota is full.</summary>
    public const string SeatLimitReached = "seat_limit_reached";
    /// <summary>The plan's number of live API keys (entitlement <c>max_api_keys</c>) is reached.</summary>
    public const string ApiKeyLimitReached = "api_key_limit_reached";
    /// <summary>The slug is used by another tenant.</summary>
    public const string SlugTaken = "slug_taken";
    /// <summary>The person is already a member.</summary>
    public const string AlreadyMember = "already_member";
    /// <summary>A pending invitation for the email exists.</summary>
    public const string AlreadyInvited = "already_invited";
    /// <summary>The invitation token is unknown.</summary>
    public const string InvitationInvalid = "invitation_invalid";
    /// <summary>The invitation is past its expiry.</summary>
    public const string InvitationExpired = "invitation_expired";
    /// <summary>The invitation was revoked.</summary>
    public const string InvitationRevoked = "invitation_revoked";
    /// <summary>The invitation was already used.</summary>
    public const string InvitationUsed = "invitation_used";
    /// <summary>The signed-in user's email is not the invited one.</summary>
    public const string EmailMismatch = "email_mismatch";
    /// <summary>The typed confirmation does not match.</summary>
    public const string ConfirmationMismatch = "confirmation_mismatch";
    /// <summary>Someone else changed the record meanwhile.</summary>
    public const string ConcurrencyConflict = "concurrency_conflict";
    /// <summary>The payment provider (Stripe) refused the call or could not be reached.</summary>
    public const string PaymentProvider = "payment_provider_error";
    /// <summary>A downgrade is refused while usage exceeds the lower plan's hard limits.</summary>
    public const string DowngradeBlocked = "downgrade_blocked";
    /// <summary>The tenant is already on that plan and cycle.</summary>
    public const string SamePlan = "same_plan";
    /// <summary>There is no subscription to cancel or reactivate.</summary>
    public const string NoSubscription = "no_subscription";
    /// <summary>The operation needs Stripe, and billing runs on the local ledger.</summary>
    public const string NotAvailableInLedger = "not_available_in_ledger";
    /// <summary>The invoice's state does not allow the operation (e.g. paying a void invoice).</summary>
    public const string InvoiceState = "invoice_state";
    /// <summary>The API key lacks the scope the call needs.</summary>
    public const string MissingScope = "missing_scope";
    /// <summary>The resource changed since the version the caller sent (If-Match).</summary>
    public const string PreconditionFailed = "precondition_failed";
    /// <summary>The request's Host header is not a host name (with an optional port).</summary>
    public const string InvalidHost = "invalid_host";
    /// <summary>The request's Host is not one the portal serves (its public host, a tenant host, a verified custom domain).</summary>
    public const string UnknownHost = "unknown_host";
    /// <summary>A plain-HTTP request the portal does not serve outside a local try: it needs HTTPS.</summary>
    public const string HttpsRequired = "https_required";
    /// <summary>The tenant's plan (with the operators' overrides) does not include the feature the call needs.</summary>
    public const string FeatureNotIncluded = "feature_not_included";
}
