using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary><c>/api/v1/credit-notes</c>: the tenant's credit notes, and one with its lines (billing:read).</summary>
public static class CreditNotesApiEndpoints
{
    /// <summary>A credit note in the list.</summary>
    /// <param name="Number">The credit note's number, e.g. <c>ACME-202610-CN1</c> (the invoice's number and the note's sequence).</param>
    /// <param name="InvoiceNumber">The invoice it credits (the usage period's invoice).</param>
    /// <param name="UsagePeriodStart">The first instant of the month whose usage is credited (UTC).</param>
    /// <param name="Reason">Why: the reason of the usage correction that caused it, or of the daily settlement.</param>
    /// <param name="CorrectionId">The usage correction that caused it, if one did.</param>
    /// <param name="Status"><c>Pending</c> (stored, counted as credited, not yet carried out by the payment provider) or <c>Issued</c>.</param>
    /// <param name="Settlement">How the credit reached the customer: <c>None</c> (pending), <c>AmountDueReduced</c> (the invoice was open),
    /// <c>CustomerBalance</c> (paid in Stripe: credited to the Stripe balance, applied to the next invoice), <c>RefundDue</c> (paid on the
    /// ledger: refunded out of band by the operator).</param>
    /// <param name="TotalCents">The amount credited, in cents, positive.</param>
    /// <param name="Currency">The ISO 4217 currency, lower-case.</param>
    /// <param name="CreatedAt">When it was created.</param>
    /// <param name="IssuedAt">When it was issued, if it was.</param>
    /// <param name="StripeCreditNoteId">The Stripe credit note, when the invoice is in Stripe.</param>
    public sealed record CreditNoteSummary(string Number, string InvoiceNumber, DateTimeOffset UsagePeriodStart, string Reason, string? CorrectionId,
        string Status, string Settlement, long TotalCents, string Currency, DateTimeOffset CreatedAt, DateTimeOffset? IssuedAt, string? StripeCreditNoteId);

    /// <summary>One line of a credit note: one metric's credit.</summary>
    /// <param name="Metric">The metric credited (e.g. <c>api_calls</c>).</param>
    /// <param name="Description">The line's text.</param>
    /// <param name="Quantity">The quantity credited (positive).</param>
    /// <param name="UnitPriceCents">The metric's overage unit price in cents; may be a fraction of a cent.</param>
    /// <param name="AmountCents">The amount credited in whole cents (positive): what was billed for the period, net of earlier credit
    /// notes, minus what its usage costs now; never a sum of rounded differences.</param>
    public sealed record CreditNoteLineItem(string Metric, string Description, decimal Quantity, decimal UnitPriceCents, long AmountCents);

    /// <summary>A credit note with its lines.</summary>
    /// <param name="CreditNote">The credit note.</param>
    /// <param name="Lines">Its lines, one per metric credited.</param>
    public sealed record CreditNoteResponse(CreditNoteSummary CreditNote, IReadOnlyList<CreditNoteLineItem> Lines);

    /// <summary>Maps the routes on the API group.</summary>
    public static RouteGroupBuilder MapCreditNotesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/credit-notes", ListAsync).WithTags("Credit notes").WithName("ListCreditNotes").WithSummary("The tenant's credit notes, newest first")
            .WithDescription("Needs billing:read. A credit note credits part of an issued invoice when the usage of its period came down after it "
                + "was invoiced (a usage correction). Amounts are positive cents. Newest first; paged by limit (1-100, default 50) and cursor.")
            .Produces<ApiPage<CreditNoteSummary>>().ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.BillingRead));
        api.MapGet("/credit-notes/{number}", GetAsync).WithTags("Credit notes").WithName("GetCreditNote").WithSummary("One credit note with its lines")
            .WithDescription("Needs billing:read. Money in integer cents, positive (credited). An unknown number is 404.")
            .Produces<CreditNoteResponse>().ProducesApiErrors(ErrorCodes.NotFound, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.BillingRead));
        return api;
    }

    /// <summary><c>GET /api/v1/credit-notes</c>.</summary>
    public static async Task<IResult> ListAsync(HttpContext http, CreditNoteService creditNotes, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = await ApiPaging.ReadPageAsync(limit, cursor, () => creditNotes.ListAsync(ApiCaller.Actor(http), cancellationToken), n => n.Number, Summary);
        if (!page.IsSuccess)
            return ApiProblems.From(page.Error);
        return TypedResults.Ok(page.Value);
    }

    /// <summary><c>GET /api/v1/credit-notes/{number}</c>.</summary>
    public static async Task<IResult> GetAsync(HttpContext http, CreditNoteService creditNotes, string number, CancellationToken cancellationToken)
    {
        var detail = await creditNotes.GetAsync(ApiCaller.Actor(http), number, cancellationToken);
        if (!detail.IsSuccess)
            return ApiProblems.From(detail.Error);
        return TypedResults.Ok(new CreditNoteResponse(Summary(detail.Value.CreditNote),
            detail.Value.Lines.Select(l => new CreditNoteLineItem(UsageMetrics.Name(l.Metric!.Value), l.Description, l.Quantity, l.UnitPriceCents, l.AmountCents))
                .ToList()));
    }

    private static CreditNoteSummary Summary(CreditNoteRow n) => new(n.Number, n.InvoiceNumber, n.UsagePeriodStart, n.Reason, n.CorrectionId,
        n.Status.ToString(), n.Settlement.ToString(), n.TotalCents, n.Currency, n.CreatedAt, n.IssuedAt, n.StripeCreditNoteId);
}
