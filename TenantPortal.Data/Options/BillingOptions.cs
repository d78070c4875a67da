using System.ComponentModel.DataAnnotations;

namespace TenantPortal.Data.Options;

/// <summary>The <c>Billing</c> section.</summary>
public sealed class BillingOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Billing";

    /// <summary>Trial length of a paid tier, in days.</summary>
    [Range(1, 365, ErrorMessage = "Billing:TrialDays must be between 1 and 365.")]
    public int TrialDays { get; set; } = 14;

    /// <summary>Hours to wait after a period closes before invoicing it (late usage).</summary>
    [Range(0, 720, ErrorMessage = "Billing:GraceHours must be between 0 and 720.")]
    public int GraceHours { get; set; } = 24;

    /// <summary>Days a PastDue tenant stays unpaid before it is suspended.</summary>
    [Range(0, 90, ErrorMessage = "Billing:DunningDays must be between 0 and 90.")]
    public int DunningDays { get; set; } = 7;

    /// <summary>
    /// Tenants the monthly-invoicing job reads at once (their invoices, plan history and usage in a few set-based
    /// statements) before it invoices each of them in its own transaction: bounds the job's memory.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Billing:InvoicingBatchSize must be between 1 and 100000.")]
    public int InvoicingBatchSize { get; set; } = 1_000;
}
