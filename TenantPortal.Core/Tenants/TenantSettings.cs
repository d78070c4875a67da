namespace TenantPortal.Core.Tenants;

/// <summary>A tenant's preferences, stored with the tenant.</summary>
public class TenantSettings
{
    /// <summary>IANA time zone used to display dates to the tenant's users; data stays in UTC.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Whether quota alerts are emailed (in-app notices are always shown).</summary>
    public bool EmailQuotaAlerts { get; set; } = true;
}
