using TenantPortal.Core.Common;
using TenantPortal.Core.Members;

namespace TenantPortal.Core.Domains;

/// <summary>
/// A domain a tenant claims (e.g. <c>acme.com</c>), proven by a TXT record <c>_tenantportal.{domain}</c> that holds
/// <see cref="VerificationToken"/>. Several tenants may claim the same name; only one holds it verified at a time.
/// A verified domain routes as the tenant's custom host, may affiliate sign-ups (<see cref="Affiliation"/>) and may be
/// an allowed email domain of the tenant's SSO. It changes state only through its own methods.
/// </summary>
public class TenantDomain : ITenantOwned
{
    /// <summary>Failed daily checks in a row after which a verified domain is no longer verified.</summary>
    public const int FailedChecksBeforeUnverified = 3;

    // For EF Core; everyone else starts with Claim.
    private TenantDomain()
    {
    }

    /// <summary>Primary key.</summary>
    public Guid Id { get; private set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The domain, normalized (lower case, IDN as punycode, no trailing dot: see <see cref="HostNames"/>).</summary>
    public string Name { get; private set; } = "";

    /// <summary>The random value the TXT record <c>_tenantportal.{Name}</c> must hold.</summary>
    public string VerificationToken { get; private set; } = "";

    /// <summary>When it was claimed.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the TXT record was last found; null while not verified.</summary>
    public DateTimeOffset? VerifiedAt { get; private set; }

    /// <summary>When DNS was last asked (on demand or by the daily check).</summary>
    public DateTimeOffset? LastCheckedAt { get; private set; }

    /// <summary>Daily checks in a row that did not find the record while verified.</summary>
    public int FailedChecks { get; private set; }

    /// <summary>What the domain does for sign-ups (only while verified).</summary>
    public DomainAffiliation Affiliation { get; private set; }

    /// <summary>The role people joining through <see cref="DomainAffiliation.Auto"/> get.</summary>
    public TenantRole AffiliationRole { get; private set; } = TenantRole.Member;

    /// <summary>True while the tenant holds the domain verified.</summary>
    public bool IsVerified => VerifiedAt is not null;

    /// <summary>The DNS name of the TXT record that proves the domain.</summary>
    public string RecordName => $"_tenantportal.{Name}";

    /// <summary>A new, unverified claim.</summary>
    public static TenantDomain Claim(Guid tenantId, string normalizedName, string verificationToken, DateTimeOffset now) =>
        new() { TenantId = tenantId, Name = normalizedName, VerificationToken = verificationToken, CreatedAt = now };

    /// <summary>The record was found: verified (again) from now, failed checks forgotten.</summary>
    public void MarkVerified(DateTimeOffset now)
    {
        VerifiedAt ??= now;
        LastCheckedAt = now;
        FailedChecks = 0;
    }

    /// <summary>
    /// The record was not found. An unverified claim stays unverified; a verified one counts the failure and loses its
    /// verification at the <see cref="FailedChecksBeforeUnverified"/>th in a row. At most one failure counts per UTC day
    /// (a check run twice, late or on demand the same day counts once), so "in a row" means on that many days. Returns
    /// true when it just lost it.
    /// </summary>
    public bool RecordFailedCheck(DateTimeOffset now)
    {
        // While failures are counted, the last check was one of them (a success zeroes the count): one today counted already.
        var countedToday = FailedChecks > 0 && LastCheckedAt is { } last && last.UtcDateTime.Date == now.UtcDateTime.Date;
        LastCheckedAt = now;
        if (VerifiedAt is null || countedToday)
            return false;
        FailedChecks++;
        if (FailedChecks < FailedChecksBeforeUnverified)
            return false;
        VerifiedAt = null;
        FailedChecks = 0;
        return true;
    }

    /// <summary>The TXT record's value that proves the claim: <c>tenantportal-verification={token}</c>.</summary>
    public string RecordValue => RecordValuePrefix + VerificationToken;

    /// <summary>What every record value starts with.</summary>
    public const string RecordValuePrefix = "tenantportal-verification=";

    /// <summary>
    /// Sets the sign-up affiliation; <paramref name="role"/> is the auto-join role (never Owner). Anything but
    /// <see cref="DomainAffiliation.Off"/> needs the domain verified.
    /// </summary>
    public void SetAffiliation(DomainAffiliation affiliation, TenantRole role)
    {
        if (role == TenantRole.Owner)
            throw new ArgumentException("Nobody joins as Owner through a domain.", nameof(role));
        if (affiliation != DomainAffiliation.Off && VerifiedAt is null)
            throw new InvalidOperationException("Only a verified domain affiliates sign-ups.");
        Affiliation = affiliation;
        AffiliationRole = role;
    }
}
