namespace TenantPortal.Core.Audit;

/// <summary>The names of audited actions.</summary>
public static class AuditActions
{
    /// <summary>A tenant was created.</summary>
    public const string TenantCreated = "tenant.created";
    /// <summary>A tenant's details changed.</summary>
    public const string TenantUpdated = "tenant.updated";
    /// <summary>A tenant was deleted with all its data.</summary>
    public const string TenantDeleted = "tenant.deleted";
    /// <summary>An Owner switched the tenant's two-factor requirement for Owners on or off.</summary>
    public const string OwnerTwoFactorChanged = "tenant.owner_two_factor_changed";
    /// <summary>Ownership moved to another member.</summary>
    public const string OwnershipTransferred = "tenant.ownership_transferred";
    /// <summary>A user joined a tenant.</summary>
    public const string MemberAdded = "member.added";
    /// <summary>A member's role changed.</summary>
    public const string MemberRoleChanged = "member.role_changed";
    /// <summary>A member was removed.</summary>
    public const string MemberRemoved = "member.removed";
    /// <summary>A member left.</summary>
    public const string MemberLeft = "member.left";
    /// <summary>An invitation was sent.</summary>
    public const string InvitationCreated = "invitation.created";
    /// <summary>An invitation was sent again.</summary>
    public const string InvitationResent = "invitation.resent";
    /// <summary>An invitation was withdrawn.</summary>
    public const string InvitationRevoked = "invitation.revoked";
    /// <summary>An invitation was accepted.</summary>
    public const string InvitationAccepted = "invitation.accepted";
    /// <summary>A quota alert (80, 90 or 100 %) fired.</summary>
    public const string QuotaAlertFired = "quota.alert_fired";
    /// <summary>The spend budget was set, changed or removed (details: old and new).</summary>
    public const string BudgetChanged = "budget.changed";
    /// <summary>A spend budget alert (50, 80 or 100 % of the budget) fired.</summary>
    public const string BudgetAlertFired = "budget.alert_fired";
    /// <summary>An invoice was issued.</summary>
    public const string InvoiceIssued = "invoice.issued";
    /// <summary>A credit note was issued against an invoice whose period's usage came down after it was invoiced.</summary>
    public const string CreditNoteIssued = "credit_note.issued";
    /// <summary>An API key was created.</summary>
    public const string ApiKeyCreated = "api_key.created";
    /// <summary>An API key was revoked.</summary>
    public const string ApiKeyRevoked = "api_key.revoked";
    /// <summary>The bootstrap operator was created.</summary>
    public const string OperatorCreated = "operator.created";
    /// <summary>A paid subscription started (from a trial, Free or a cancellation).</summary>
    public const string SubscriptionStarted = "subscription.started";
    /// <summary>The plan or cycle changed at once.</summary>
    public const string PlanChanged = "subscription.plan_changed";
    /// <summary>A plan change was scheduled for the end of the period.</summary>
    public const string PlanChangeScheduled = "subscription.change_scheduled";
    /// <summary>The subscription was cancelled (at once or at the period end).</summary>
    public const string SubscriptionCancelled = "subscription.cancelled";
    /// <summary>A cancellation or scheduled change was withdrawn before the period end.</summary>
    public const string SubscriptionReactivated = "subscription.reactivated";
    /// <summary>The tenant's billing status changed (PastDue, Active again, Suspended) by a job or a payment event.</summary>
    public const string BillingStatusChanged = "billing.status_changed";
    /// <summary>An invoice was marked paid.</summary>
    public const string InvoicePaid = "invoice.paid";
    /// <summary>An invoice was voided.</summary>
    public const string InvoiceVoided = "invoice.voided";
    /// <summary>A trial ended without a subscription and the tenant was suspended.</summary>
    public const string TrialExpired = "trial.expired";
    /// <summary>An operator made another user an operator (or invited a new one).</summary>
    public const string OperatorInvited = "operator.invited";
    /// <summary>An operator took the Operator role from another.</summary>
    public const string OperatorRemoved = "operator.removed";
    /// <summary>An operator suspended a tenant.</summary>
    public const string OperatorSuspended = "operator.tenant_suspended";
    /// <summary>An operator ended a tenant's suspension.</summary>
    public const string OperatorReactivated = "operator.tenant_reactivated";
    /// <summary>An operator moved a tenant to another tier.</summary>
    public const string OperatorTierChanged = "operator.tier_changed";
    /// <summary>An operator extended a tenant's trial.</summary>
    public const string OperatorTrialExtended = "operator.trial_extended";
    /// <summary>An operator set a quota override.</summary>
    public const string OperatorQuotaOverrideSet = "operator.quota_override_set";
    /// <summary>An operator removed a quota override.</summary>
    public const string OperatorQuotaOverrideCleared = "operator.quota_override_cleared";
    /// <summary>An operator set a feature of a tenant in place of its plan's (optionally until a date).</summary>
    public const string EntitlementOverridden = "entitlement.overridden";
    /// <summary>An operator removed a feature override: the plan's value applies again.</summary>
    public const string EntitlementOverrideRemoved = "entitlement.override_removed";
    /// <summary>An operator sent a tenant's invitation again.</summary>
    public const string OperatorInvitationResent = "operator.invitation_resent";
    /// <summary>An operator created a tenant on behalf of a customer.</summary>
    public const string OperatorTenantCreated = "operator.tenant_created";
    /// <summary>An operator locked a user's account (every session of it ended).</summary>
    public const string OperatorAccountLocked = "operator.account_locked";
    /// <summary>An operator unlocked a user's account.</summary>
    public const string OperatorAccountUnlocked = "operator.account_unlocked";
    /// <summary>A user ended one of their sessions (Account → Sessions).</summary>
    public const string SessionRevoked = "session.revoked";
    /// <summary>A user signed out everywhere but the browser they used.</summary>
    public const string SessionsRevokedElsewhere = "session.revoked_elsewhere";
    /// <summary>A user signed out everywhere, the browser they used included.</summary>
    public const string SessionsRevokedEverywhere = "session.revoked_everywhere";
    /// <summary>Reported usage was corrected (void, amend, backfill).</summary>
    public const string UsageCorrectionCreated = "usage.correction.created";
    /// <summary>A usage correction was reverted: its events count as before.</summary>
    public const string UsageCorrectionReverted = "usage.correction.reverted";
    /// <summary>An operator granted prepaid credits to a tenant.</summary>
    public const string CreditsGranted = "credits.granted";
    /// <summary>An operator revoked the unused part of a credit grant.</summary>
    public const string CreditsRevoked = "credits.revoked";
    /// <summary>An owner bought credits (granted at once on the ledger, or by Stripe's checkout webhook).</summary>
    public const string CreditsPurchased = "credits.purchased";
    /// <summary>An invoice was paid in part or whole by prepaid credits.</summary>
    public const string CreditsApplied = "credits.applied";
    /// <summary>An owner set or cleared the low-balance alert threshold.</summary>
    public const string CreditsThresholdChanged = "credits.threshold_changed";
    /// <summary>The credit balance fell below the owner's threshold and the owners were told.</summary>
    public const string CreditsLowBalance = "credits.low_balance";
    /// <summary>An admin claimed a domain (pending until its TXT record is found).</summary>
    public const string DomainAdded = "domain.added";
    /// <summary>A domain's TXT record was found: the tenant holds it verified.</summary>
    public const string DomainVerified = "domain.verified";
    /// <summary>A verified domain lost its verification after failed daily checks (the admins were told).</summary>
    public const string DomainUnverified = "domain.unverified";
    /// <summary>An admin removed a domain.</summary>
    public const string DomainRemoved = "domain.removed";
    /// <summary>An admin changed a domain's sign-up affiliation (off, suggest, auto with a role).</summary>
    public const string DomainAffiliationChanged = "domain.affiliation_changed";

    /// <summary>A SCIM token was created.</summary>
    public const string ScimTokenCreated = "scim_token.created";

    /// <summary>A SCIM token was revoked.</summary>
    public const string ScimTokenRevoked = "scim_token.revoked";

    /// <summary>A directory suspended a membership (SCIM <c>active=false</c>).</summary>
    public const string MemberSuspended = "member.suspended";

    /// <summary>A directory reactivated a suspended membership.</summary>
    public const string MemberReactivated = "member.reactivated";

    /// <summary>A directory changed a member's profile (external id, name) or took over an existing membership.</summary>
    public const string MemberDirectoryUpdated = "member.directory_updated";

    /// <summary>A directory created, renamed, changed the members of, or deleted a group.</summary>
    public const string ScimGroupChanged = "scim_group.changed";

    /// <summary>An admin set or removed a group-to-role mapping.</summary>
    public const string ScimRoleMappingChanged = "scim.role_mapping_changed";
    /// <summary>The payment of an invoice failed (a payment provider said so).</summary>
    public const string InvoicePaymentFailed = "invoice.payment_failed";
    /// <summary>A webhook endpoint was registered.</summary>
    public const string WebhookEndpointCreated = "webhook_endpoint.created";
    /// <summary>A webhook endpoint's address, description, events or state changed.</summary>
    public const string WebhookEndpointUpdated = "webhook_endpoint.updated";
    /// <summary>A webhook endpoint was deleted.</summary>
    public const string WebhookEndpointDeleted = "webhook_endpoint.deleted";
    /// <summary>A webhook endpoint's signing secret was rotated (the old one stays valid for the overlap).</summary>
    public const string WebhookSecretRotated = "webhook_endpoint.secret_rotated";
    /// <summary>A webhook endpoint was disabled after its deliveries failed continuously for 3 days.</summary>
    public const string WebhookEndpointDisabled = "webhook_endpoint.disabled";
    /// <summary>A webhook delivery was sent again on request.</summary>
    public const string WebhookDeliveryResent = "webhook_delivery.resent";
    /// <summary>An admin (or an API key) exported the tenant's audit log (details: format, range and filters).</summary>
    public const string AuditExported = "audit.exported";
    /// <summary>An operator exported the fleet's audit log (details: format, range and filters).</summary>
    public const string OperatorAuditExported = "operator.audit_exported";
    /// <summary>An admin set up or changed the tenant's single sign-on (details: issuer, client, domains, role, require SSO).</summary>
    public const string SsoConfigured = "sso.configured";
    /// <summary>An admin switched the tenant's single sign-on off.</summary>
    public const string SsoDisabled = "sso.disabled";
    /// <summary>An owner signed in with a password although the tenant requires single sign-on (the break-glass way in).</summary>
    public const string SsoBreakGlassUsed = "sso.break_glass_used";
}
