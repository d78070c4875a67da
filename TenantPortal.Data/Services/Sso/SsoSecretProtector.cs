using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace TenantPortal.Data.Services.Sso;

/// <summary>
/// Protects a tenant's SSO client secret with Data Protection under a purpose of its own. The keys live in the database
/// (shared by every instance), so any instance reads a secret another stored.
/// </summary>
public sealed class SsoSecretProtector(IDataProtectionProvider provider)
{
    /// <summary>The Data Protection purpose of SSO client secrets.</summary>
    public const string Purpose = "TenantPortal.Sso.ClientSecret.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    /// <summary>The protected form of <paramref name="secret"/>, for storing.</summary>
    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The secret, or null when the key that protected it is gone (the admin enters it again).</summary>
    public string? Unprotect(string protectedSecret)
    {
        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
