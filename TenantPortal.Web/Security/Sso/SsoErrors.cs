namespace TenantPortal.Web.Security.Sso;

/// <summary>Why a single sign-on did not end in a session: a code in the log-in page's address, and the message it shows.</summary>
public static class SsoErrors
{
    /// <summary>The query parameter of the log-in page that carries the code.</summary>
    public const string QueryKey = "sso_error";

    /// <summary>The provider refused, the answer did not validate (issuer, audience, signature, state), or it could not be reached.</summary>
    public const string Failed = "failed";
    /// <summary>The person cancelled at the provider, or it denied access.</summary>
    public const string Denied = "denied";
    /// <summary>The connection is unknown, off, not in the plan, or has no verified domain left.</summary>
    public const string Unavailable = "unavailable";
    /// <summary>The provider sent no email.</summary>
    public const string NoEmail = "no_email";
    /// <summary>The provider says the email is not verified.</summary>
    public const string EmailUnverified = "email_unverified";
    /// <summary>The email is outside the connection's allowed (and verified) domains.</summary>
    public const string Domain = "domain";
    /// <summary>The account is an operator's: operators never sign in through a tenant's provider.</summary>
    public const string Operator = "operator";
    /// <summary>The account is locked.</summary>
    public const string Locked = "locked";
    /// <summary>The workspace has no free seat for a new member.</summary>
    public const string Seats = "seats";

    /// <summary>The message for a code, or null for an unknown one (ignored).</summary>
    public static string? Message(string? code) => code switch
    {
        Failed => "Single sign-on did not complete: your identity provider's answer could not be accepted. Try again, or ask your admin to check the connection.",
        Denied => "Single sign-on was cancelled at your identity provider.",
        Unavailable => "Single sign-on is not available for this workspace right now. Log in with your password, or ask your admin.",
        NoEmail => "Your identity provider did not tell us your email address, so we can't sign you in. Ask your admin to release the email claim.",
        EmailUnverified => "Your identity provider says your email address is not verified, so we can't sign you in.",
        Domain => "Your identity provider signed you in with an email address outside the domains this workspace allows for single sign-on.",
        Operator => "Operator accounts never sign in through a workspace's identity provider. Log in with your password.",
        Locked => "This account is locked. Try again later or contact support.",
        Seats => "The workspace has no free seat for you. Ask its admin to free one or add seats, then sign in again.",
        _ => null,
    };
}
