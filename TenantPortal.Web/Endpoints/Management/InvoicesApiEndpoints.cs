using System.Text;
using Microsoft.Net.Http.Headers;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary><c>/api/v1/invoices</c>: the tenant's invoices, one with its lines, and the usage events behind one as CSV (billing:read).</summary>
public static class InvoicesApiEndpoints
{
    /// <summary>An invoice in the list.</summary>
    /// <param name="Number">The invoice number, e.g. <c>ACME-202610</c> (the id used in the other routes).</param>
    /// <param name="PeriodStart">The first instant of the billed month (UTC).</param>
    /// <param name="PeriodEnd">The first instant after it.</param>
    /// <param name="Status">Draft, Open, Paid, Void or Uncollectible.</param>
    /// <param name="TotalCents">The total, in cents.</param>
    /// <param name="Currency">The ISO 4217 currency, lower-case (e.g. <c>usd</c>).</param>
    /// <param name="IssuedAt">When it was issued.</param>
    /// <param name="DueAt">When it is due.</param>
    /// <param name="PaidAt">When it was paid, if it was.</param>
    /// <param name="HostedUrl">Stripe's page of the invoice, when billed through Stripe.</param>
    public sealed record InvoiceSummary(string Number, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, string Status, long TotalCents, string Currency,
        DateTimeOffset IssuedAt, DateTimeOffset DueAt, DateTimeOffset? PaidAt, string? HostedUrl);

    /// <summary>One line of an invoice.</summary>
    /// <param name="Kind">Base (the plan), Overage, Adjustment (e.g. late usage), or CreditsApplied (prepaid credits paying the invoice, negative).</param>
    /// <param name="Description">The line's text.</param>
    /// <param name="Metric">The metric of an overage or late-usage line (e.g. <c>api_calls</c>); null otherwise.</param>
    /// <param name="UsagePeriodStart">The month whose usage the line bills (overage and late usage).</param>
    /// <param name="Quantity">The quantity: the overage beyond the quota, or the share of a period for a base line.</param>
    /// <param name="UnitPriceCents">The unit price in cents; may be a fraction of a cent.</param>
    /// <param name="AmountCents">The line's amount in whole cents (rounded once, half away from zero).</param>
    public sealed record InvoiceLineItem(string Kind, string Description, string? Metric, DateTimeOffset? UsagePeriodStart, decimal Quantity,
        decimal UnitPriceCents, long AmountCents);

    /// <summary>An invoice with its lines.</summary>
    /// <param name="Number">The invoice number.</param>
    /// <param name="PeriodStart">The first instant of the billed month (UTC).</param>
    /// <param name="PeriodEnd">The first instant after it.</param>
    /// <param name="Status">Draft, Open, Paid, Void or Uncollectible.</param>
    /// <param name="Tier">The plan billed.</param>
    /// <param name="TotalCents">The total, in cents (the sum of the lines' amounts).</param>
    /// <param name="Currency">The ISO 4217 currency, lower-case.</param>
    /// <param name="IssuedAt">When it was issued.</param>
    /// <param name="DueAt">When it is due.</param>
    /// <param name="PaidAt">When it was paid, if it was.</param>
    /// <param name="HostedUrl">Stripe's page of the invoice, when billed through Stripe.</param>
    /// <param name="Lines">The lines, in invoice order.</param>
    public sealed record InvoiceResponse(string Number, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, string Status, string Tier, long TotalCents,
        string Currency, DateTimeOffset IssuedAt, DateTimeOffset DueAt, DateTimeOffset? PaidAt, string? HostedUrl, IReadOnlyList<InvoiceLineItem> Lines);

    /// <summary>Maps the routes on the API group.</summary>
    public static RouteGroupBuilder MapInvoicesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/invoices", ListAsync).WithTags("Invoices").WithName("ListInvoices").WithSummary("The tenant's invoices, newest first")
            .WithDescription("Needs billing:read. Newest billed period first; paged by limit (1-100, default 50) and cursor.")
            .Produces<ApiPage<InvoiceSummary>>().ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.BillingRead));
        api.MapGet("/invoices/{number}", GetAsync).WithTags("Invoices").WithName("GetInvoice").WithSummary("One invoice with its lines")
            .WithDescription("Needs billing:read. Money in integer cents; unit prices may be fractions of a cent. An unknown number is 404.")
            .Produces<InvoiceResponse>().ProducesApiErrors(ErrorCodes.NotFound, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.BillingRead));
        api.MapGet("/invoices/{number}/usage.csv", UsageCsvAsync).WithTags("Invoices").WithName("GetInvoiceUsageCsv")
            .WithSummary("The usage events behind an invoice, as CSV")
            .WithDescription("Needs billing:read. Every usage event behind the invoice's overage and late-usage lines (each line's metric over the "
                + "month it bills), line by line, oldest first, as text/csv with the columns " + InvoiceService.CsvHeader + ". An invoice without "
                + "usage lines gives the header alone. The same events as the portal's per-line download.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesApiErrors(ErrorCodes.NotFound, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.BillingRead));
        return api;
    }

    /// <summary><c>GET /api/v1/invoices</c>.</summary>
    public static async Task<IResult> ListAsync(HttpContext http, InvoiceService invoices, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = await ApiPaging.ReadPageAsync(limit, cursor, () => invoices.ListAsync(ApiCaller.Actor(http), cancellationToken), i => i.Number, Summary);
        if (!page.IsSuccess)
            return ApiProblems.From(page.Error);
        return TypedResults.Ok(page.Value);
    }

    /// <summary><c>GET /api/v1/invoices/{number}</c>.</summary>
    public static async Task<IResult> GetAsync(HttpContext http, InvoiceService invoices, string number, CancellationToken cancellationToken)
    {
        var detail = await invoices.GetAsync(ApiCaller.Actor(http), number, cancellationToken);
        if (!detail.IsSuccess)
            return ApiProblems.From(detail.Error);
        var (i, lines) = (detail.Value.Invoice, detail.Value.Lines);
        return TypedResults.Ok(new InvoiceResponse(i.Number, i.PeriodStart, i.PeriodEnd, i.Status.ToString(), detail.Value.Tier.ToString(), i.TotalCents, i.Currency,
            i.IssuedAt, i.DueAt, i.PaidAt, i.HostedUrl,
            lines.Select(l => new InvoiceLineItem(l.Kind.ToString(), l.Description, l.Metric is { } m ? UsageMetrics.Name(m) : null, l.UsagePeriodStart,
                l.Quantity, l.UnitPriceCents, l.AmountCents)).ToList()));
    }

    /// <summary><c>GET /api/v1/invoices/{number}/usage.csv</c>: streamed.</summary>
    public static async Task<IResult> UsageCsvAsync(HttpContext http, InvoiceService invoices, string number, CancellationToken cancellationToken)
    {
        var actor = ApiCaller.Actor(http);
        // Named before the first byte, by the same checks as the export, while the response can still refuse.
        var named = await invoices.InvoiceEventsFileNameAsync(actor, number, cancellationToken);
        if (!named.IsSuccess)
            return ApiProblems.From(named.Error);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = named.Value, FileName = named.Value }.ToString();
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        var written = await invoices.WriteInvoiceEventsCsvAsync(actor, number, writer, cancellationToken);
        if (!written.IsSuccess && !http.Response.HasStarted)
        {
            http.Response.Headers.ContentDisposition = default;
            return ApiProblems.From(written.Error);
        }
        return TypedResults.Empty;
    }

    private static InvoiceSummary Summary(InvoiceRow i) =>
        new(i.Number, i.PeriodStart, i.PeriodEnd, i.Status.ToString(), i.TotalCents, i.Currency, i.IssuedAt, i.DueAt, i.PaidAt, i.HostedUrl);
}
