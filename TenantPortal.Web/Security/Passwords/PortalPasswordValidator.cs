using Microsoft.AspNetCore.Identity;
using TenantPortal.Data.Identity;

namespace TenantPortal.Web.Security.Passwords;

/// <summary>
/// The portal's password rules beyond Identity's minimum length (OWASP ASVS 6.2, NIST SP 800-63B): no composition
/// rules, but a password is refused when it is longer than <see cref="MaximumLength"/>, on the list of common
/// passwords (<see cref="CommonPasswords"/>), contains the user's email or user name or is just the email's local part
/// with digits or symbols after it, contains the site's name, or is a repeated or sequential run of characters. Every place a password is set goes through <see cref="UserManager{TUser}"/>,
/// so this applies to registration, reset, change, set and the bootstrap and demo accounts alike.
/// </summary>
public sealed class PortalPasswordValidator(CommonPasswords common) : IPasswordValidator<PortalUser>
{
    /// <summary>The fewest characters a password may have.</summary>
    public const int MinimumLength = 12;

    /// <summary>The most characters a password may have (long passphrases fit; hashing cost stays bounded).</summary>
    public const int MaximumLength = 128;

    /// <summary>The site's name, refused inside a password (separators ignored).</summary>
    public const string SiteName = "tenantportal";

    // The shortest part of an email or user name that is looked for in the password.
    private const int ShortestIdentifier = 4;

    /// <inheritdoc />
    public Task<IdentityResult> ValidateAsync(UserManager<PortalUser> manager, PortalUser user, string? password)
    {
        if (string.IsNullOrEmpty(password))
            return Task.FromResult(IdentityResult.Success);
        var errors = new List<IdentityError>();
        if (password.Length > MaximumLength)
            errors.Add(new IdentityError { Code = "PasswordTooLong", Description = $"Passwords must be at most {MaximumLength} characters long." });

        var folded = CommonPasswords.Normalize(password);
        if (common.Contains(password))
            errors.Add(new IdentityError { Code = "PasswordCommon", Description = "This password is on a list of commonly used passwords. Choose another one; a few unrelated words make a good password." });
        else if (IsRepetitiveOrSequential(folded))
            errors.Add(new IdentityError { Code = "PasswordRepetitive", Description = "Passwords must not be a repeated or sequential run of characters such as 'aaaaaaaaaaaa' or '123456789012'." });

        if (ContainsIdentifier(folded, user))
            errors.Add(new IdentityError { Code = "PasswordContainsUserName", Description = "Passwords must not contain your email address or user name." });
        if (folded.Contains(SiteName, StringComparison.Ordinal))
            errors.Add(new IdentityError { Code = "PasswordContainsSiteName", Description = "Passwords must not contain the name of this site." });
        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }

    /// <summary>
    /// True when the (normalised) password is one unit repeated ("aaaa…", "abcabc…", "20262026…") or a run of
    /// consecutive characters up or down ("123456789012", "abcdefghijkl", "987654321098"; digits wrap from 9 to 0).
    /// </summary>
    public static bool IsRepetitiveOrSequential(string folded)
    {
        if (folded.Length < 2)
            return true;
        for (var unit = 1; unit <= folded.Length / 2; unit++)
        {
            if (folded.Length % unit != 0)
                continue;
            var repeated = true;
            for (var i = unit; i < folded.Length && repeated; i++)
                repeated = folded[i] == folded[i - unit];
            if (repeated)
                return true;
        }
        return IsRun(folded, +1) || IsRun(folded, -1);
    }

    private static bool IsRun(string s, int step)
    {
        for (var i = 1; i < s.Length; i++)
        {
            if (s[i] - s[i - 1] == step)
                continue;
            // Digits wrap round: …8 9 0 1… and …1 0 9 8…
            var wraps = step > 0 ? s[i - 1] == '9' && s[i] == '0' : s[i - 1] == '0' && s[i] == '9';
            if (!wraps)
                return false;
        }
        return true;
    }

    // The whole email or user name anywhere in the password, or the password being just the email's local part (the name
    // before the @) with digits or symbols after it ("operator2026!" for operator@example.com).
    private static bool ContainsIdentifier(string folded, PortalUser user)
    {
        var stem = CommonPasswords.Stem(folded);
        foreach (var identifier in new[] { user.Email, user.UserName })
        {
            if (string.IsNullOrWhiteSpace(identifier))
                continue;
            var whole = CommonPasswords.Normalize(identifier);
            var local = CommonPasswords.Normalize(identifier.Split('@')[0]);
            if ((whole.Length >= ShortestIdentifier && folded.Contains(whole, StringComparison.Ordinal))
                || (local.Length >= ShortestIdentifier && (folded == local || stem == local)))
                return true;
        }
        return false;
    }
}
