using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Web.Invoices;

namespace TenantPortal.Web.Endpoints;

/// <summary>
/// Downloads behind the printable invoice, for signed-in users (the portal's cookie): the invoice as PDF, and the usage
/// events of an overage or late-usage line as CSV. The tenant is entered by slug exactly as the pages do; an outsider gets 404, a member below
/// Admin 403.
/// </summary>
public static class InvoiceExportEndpoints
{
    /// <summary>Maps the invoice downloads.</summary>
    public static IEndpointRouteBuilder MapInvoiceExportEndpoints(this IEndpointRouteBuilder app)
    {
        var invoices = app.MapGroup("/t/{slug}/billing/invoices").RequireAuthorization();
        invoices.MapGet("/{number}/lines/{lineId:guid}/usage.csv", ExportLineUsageAsync).WithName("InvoiceLineUsageCsv");
        invoices.MapGet("/{number}.pdf", DownloadPdfAsync).WithName("InvoicePdf");
        invoices.MapGet("/{number}/credit-notes/{creditNoteNumber}.pdf", DownloadCreditNotePdfAsync).WithName("CreditNotePdf");
        return app;
    }

    /// <summary>
    /// <c>GET /t/{slug}/billing/invoices/{number}.pdf</c>: the invoice as a PDF, for whoever may see it on its page (Admin
    /// and above, of the tenant in the address): another tenant's invoice, or one that does not exist, is 404.
    /// </summary>
    public static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>, ProblemHttpResult>> DownloadPdfAsync(
        string slug, string number, HttpContext http, TenantAccessService tenants, InvoiceService invoices, InvoicePdfRenderer renderer,
        CancellationToken cancellationToken)
    {
        if (http.User.FindFirstValue(ClaimTypes.NameIdentifier) is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in to download invoices.");
        var entered = await EnterAsync(slug, http, tenants, cancellationToken);
        if (!entered.IsSuccess)
            return NotFoundOrForbidden(entered.Error);
        var detail = await invoices.GetAsync(entered.Value, number, cancellationToken);
        if (!detail.IsSuccess)
            return NotFoundOrForbidden(detail.Error);
        var fileName = $"{detail.Value.Invoice.Number}.pdf";
        return TypedResults.File(renderer.Render(detail.Value), "application/pdf", fileName);
    }

    /// <summary>
    /// <c>GET /t/{slug}/billing/invoices/{number}/credit-notes/{creditNoteNumber}.pdf</c>: a credit note against the invoice,
    /// as a PDF, for whoever may see the invoice; one of another invoice or tenant, or none, is 404.
    /// </summary>
    public static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>, ProblemHttpResult>> DownloadCreditNotePdfAsync(
        string slug, string number, string creditNoteNumber, HttpContext http, TenantAccessService tenants, CreditNoteService creditNotes,
        CreditNotePdfRenderer renderer, CancellationToken cancellationToken)
    {
        if (http.User.FindFirstValue(ClaimTypes.NameIdentifier) is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in to download credit notes.");
        var entered = await EnterAsync(slug, http, tenants, cancellationToken);
        if (!entered.IsSuccess)
            return NotFoundOrForbidden(entered.Error);
        var detail = await creditNotes.GetAsync(entered.Value, creditNoteNumber, cancellationToken);
        if (!detail.IsSuccess)
            return NotFoundOrForbidden(detail.Error);
        if (detail.Value.CreditNote.InvoiceNumber != number)
            return NotFound(Error.NotFound($"Credit note {creditNoteNumber} does not credit invoice {number}."));
        return TypedResults.File(renderer.Render(detail.Value), "application/pdf", $"{detail.Value.CreditNote.Number}.pdf");
    }

    // The signed-in user (checked by the caller) entering the tenant of the address as the pages do; the actor for the services.
    private static async Task<Result<Actor>> EnterAsync(string slug, HttpContext http, TenantAccessService tenants, CancellationToken cancellationToken)
    {
        var user = http.User;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var access = await tenants.EnterAsync(slug, userId, TenantPortal.Web.Security.OperatorTwoFactorRequirement.SignedInWithSecondFactor(user), cancellationToken);
        if (!access.IsSuccess)
            return access.Error.Code == ErrorCodes.TwoFactorRequired ? access.Error : Error.NotFound(access.Error.Message);
        return new Actor(userId, user.Identity?.Name ?? userId, http.Connection.RemoteIpAddress?.ToString());
    }

    private static Results<FileContentHttpResult, NotFound<ProblemDetails>, ProblemHttpResult> NotFoundOrForbidden(Error error) => error.Code switch
    {
        ErrorCodes.NotFound => NotFound(error),
        ErrorCodes.Forbidden or ErrorCodes.TwoFactorRequired => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: error.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: error.Message),
    };

    /// <summary><c>GET /t/{slug}/billing/invoices/{number}/lines/{lineId}/usage.csv</c>: the line's events, streamed.</summary>
    public static async Task<Results<EmptyHttpResult, NotFound<ProblemDetails>, ProblemHttpResult>> ExportLineUsageAsync(
        string slug, string number, Guid lineId, HttpContext http, TenantAccessService tenants, InvoiceService invoices, CancellationToken cancellationToken)
    {
        var user = http.User;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in to download invoice data.");
        var access = await tenants.EnterAsync(slug, userId, TenantPortal.Web.Security.OperatorTwoFactorRequirement.SignedInWithSecondFactor(user), cancellationToken);
        if (!access.IsSuccess)
            return access.Error.Code == ErrorCodes.TwoFactorRequired ? Failure(access.Error) : NotFound(access.Error);
        var actor = new Actor(userId, user.Identity?.Name ?? userId, http.Connection.RemoteIpAddress?.ToString());

        // The file is named before its first byte is sent, by the same checks as the export, while the response can still
        // refuse an unknown invoice or line, or a role below Admin.
        var named = await invoices.LineEventsFileNameAsync(actor, number, lineId, cancellationToken);
        if (!named.IsSuccess)
            return Failure(named.Error);
        var fileName = named.Value;
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = fileName, FileName = fileName }.ToString();
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        var written = await invoices.WriteLineEventsCsvAsync(actor, number, lineId, writer, cancellationToken);
        if (!written.IsSuccess && !http.Response.HasStarted)
        {
            http.Response.Headers.ContentDisposition = default;
            return Failure(written.Error);
        }
        return TypedResults.Empty;
    }

    private static Results<EmptyHttpResult, NotFound<ProblemDetails>, ProblemHttpResult> Failure(Error error) => error.Code switch
    {
        ErrorCodes.NotFound => NotFound(error),
        // A line with no usage behind it has no usage.csv: the address names nothing.
        ErrorCodes.Invalid when error.Field == "lineId" => NotFound(error),
        ErrorCodes.Forbidden or ErrorCodes.TwoFactorRequired => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: error.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: error.Message),
    };

    private static NotFound<ProblemDetails> NotFound(Error error) =>
        TypedResults.NotFound(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = error.Message });
}
