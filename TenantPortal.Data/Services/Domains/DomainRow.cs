using TenantPortal.Core.Domains;
using TenantPortal.Core.Members;

namespace TenantPortal.Data.Services.Domains;

/// <summary>A domain of the tenant as the Domains section lists it.</summary>
public sealed record DomainRow(
    Guid Id,
    string Name,
    string RecordName,
    string RecordValue,
    DateTimeOffset CreatedAt,
    DateTimeOffset? VerifiedAt,
    DateTimeOffset? LastCheckedAt,
    int FailedChecks,
    DomainAffiliation Affiliation,
    TenantRole AffiliationRole)
{
    /// <summary>True while the tenant holds it verified.</summary>
    public bool IsVerified => VerifiedAt is not null;

    /// <summary>"Pending", "Verified" or "Failing 2 of 3".</summary>
    public string Status => VerifiedAt is null ? "Pending"
        : FailedChecks > 0 ? $"Failing {FailedChecks} of {TenantDomain.FailedChecksBeforeUnverified}" : "Verified";

    /// <summary>The row of <paramref name="d"/>.</summary>
    public static DomainRow Of(TenantDomain d) =>
        new(d.Id, d.Name, d.RecordName, d.RecordValue, d.CreatedAt, d.VerifiedAt, d.LastCheckedAt, d.FailedChecks, d.Affiliation, d.AffiliationRole);
}
