using TenantPortal.Data.Services.Billing;

namespace TenantPortal.Web.Invoices;

/// <summary>What a billing document's PDF shows (<see cref="BillingDocumentPdf"/>).</summary>
/// <param name="Title">"Invoice" or "Credit note": the heading, and the footer's and file's name with the number.</param>
/// <param name="Number">The document's number.</param>
/// <param name="TenantName">The customer.</param>
/// <param name="BillingEmail">Where invoices go, if set.</param>
/// <param name="Period">The period, as text.</param>
/// <param name="PeriodNote">A line under the period (the plan, or the invoice credited).</param>
/// <param name="Facts">Label and value pairs on the right of the title (status, dates).</param>
/// <param name="Lines">The lines.</param>
/// <param name="TotalLabel">The total's label.</param>
/// <param name="TotalCents">The total.</param>
/// <param name="Note">The small print under the total.</param>
internal sealed record BillingDocument(string Title, string Number, string TenantName, string? BillingEmail, string Period, string PeriodNote,
    IReadOnlyList<(string Label, string Value)> Facts, IReadOnlyList<InvoiceLineRow> Lines, string TotalLabel, long TotalCents, string Note);
