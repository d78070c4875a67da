using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;

namespace TenantPortal.Web.Endpoints;

/// <summary>
/// Downloads behind the printable invoice, for signed-in users (the portal's cookie): the usage events of an overage or
/// late-usage line as CSV. The tenant is entered by slug exactly as the pages do; an outsider gets 404, a member below
/// Admin 403.
/// </summary>
public static class InvoiceExportEndpoints
{
    /// <summary>Maps the invoice downloads.</summary>
    public static IEndpointRouteBuilder MapInvoiceExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/t/{slug}/billing/invoices")
            .RequireAuthorization()
            .MapGet("/{number}/lines/{lineId:guid}/usage.csv", ExportLineUsageAsync)
            .WithName("InvoiceLineUsageCsv");
        return app;
    }

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
