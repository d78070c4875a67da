using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Billing;

/// <summary>An invoice in the invoices table.</summary>
/// <param name="Number">Invoice number, e.g. <c>ACME-202610</c>.</param>
/// <param name="PeriodStart">First instant of the billed month.</param>
/// <param name="PeriodEnd">First instant after it.</param>
/// <param name="Status">Draft, open, paid, void or uncollectible.</param>
/// <param name="TotalCents">Total.</param>
/// <param name="IssuedAt">Issue time.</param>
/// <param name="DueAt">Due date.</param>
/// <param name="PaidAt">When paid.</param>
/// <param name="HostedUrl">Stripe's hosted invoice page, when billed through Stripe.</param>
/// <param name="Currency">The ISO 4217 currency of the amounts, lower-case (e.g. <c>usd</c>).</param>
public sealed record InvoiceRow(string Number, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, InvoiceStatus Status, long TotalCents,
    DateTimeOffset IssuedAt, DateTimeOffset DueAt, DateTimeOffset? PaidAt, string? HostedUrl, string Currency = "usd")
{
    /// <summary>The row of a stored invoice.</summary>
    public static InvoiceRow From(Invoice i) => new(i.Number, i.PeriodStart, i.PeriodEnd, i.Status, i.TotalCents, i.IssuedAt, i.DueAt, i.PaidAt, i.HostedUrl, i.Currency);
}
