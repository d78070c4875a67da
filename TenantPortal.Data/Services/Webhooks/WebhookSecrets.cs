using Microsoft.AspNetCore.DataProtection;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>
/// Endpoint signing secrets: <c>whsec_</c> and 256 random bits, shown once, stored protected with Data Protection (the
/// portal signs with them, so a hash would not do).
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    /// <summary>The prefix of every secret.</summary>
    public const string Prefix = "whsec_";

    private readonly IDataProtector _protector = protection.CreateProtector("TenantPortal.Webhooks.SigningSecret.v1");

    /// <summary>A new secret (plain) and its protected form.</summary>
    public (string Secret, string Protected) New()
    {
        var secret = Prefix + SecretHasher.NewToken();
        return (secret, _protector.Protect(secret));
    }

    /// <summary>The plain secret of a protected one.</summary>
    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
