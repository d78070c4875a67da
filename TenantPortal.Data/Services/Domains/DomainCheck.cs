namespace TenantPortal.Data.Services.Domains;

/// <summary>What one look at a domain's TXT record found.</summary>
public enum DomainCheckOutcome
{
    /// <summary>The record holds the expected value.</summary>
    Found,

    /// <summary>The record name has TXT records, none with the expected value.</summary>
    WrongValue,

    /// <summary>No TXT record at that name (NXDOMAIN or no data).</summary>
    NotFound,

    /// <summary>DNS did not answer usably (timeout, server failure, refused): not found this time.</summary>
    Unreachable,
}

/// <summary>The outcome of a TXT lookup with a sentence for the admin.</summary>
/// <param name="Outcome">What was found.</param>
/// <param name="Message">In plain words, e.g. "No TXT record was found at _tenantportal.acme.com."</param>
public sealed record DomainCheck(DomainCheckOutcome Outcome, string Message)
{
    /// <summary>True when the record holds the expected value.</summary>
    public bool Found => Outcome == DomainCheckOutcome.Found;
}
