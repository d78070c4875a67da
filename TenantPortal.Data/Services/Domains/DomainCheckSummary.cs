namespace TenantPortal.Data.Services.Domains;

/// <summary>What one run of the daily domain check did.</summary>
/// <param name="Checked">Verified domains looked up.</param>
/// <param name="Failed">Of those, not found this time.</param>
/// <param name="Unverified">Of those, un-verified by this run (their tenants' admins told).</param>
public sealed record DomainCheckSummary(int Checked, int Failed, int Unverified)
{
    /// <summary>Nothing done.</summary>
    public static DomainCheckSummary None { get; } = new(0, 0, 0);

    /// <summary>The sum of two summaries.</summary>
    public static DomainCheckSummary operator +(DomainCheckSummary a, DomainCheckSummary b) =>
        new(a.Checked + b.Checked, a.Failed + b.Failed, a.Unverified + b.Unverified);
}
