using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Audit.Export;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints;

/// <summary>
/// Audit log downloads for signed-in users (the portal's cookie), behind the "Export" buttons: a tenant's log from its
/// Settings (entered by slug as the pages do: an outsider gets 404, a role below Admin 403, a plan without
/// <c>audit_export</c> 403), and the fleet's log from <c>/ops/audit</c> (operators). Both stream through the one exporter.
/// </summary>
public static class AuditExportEndpoints
{
    /// <summary>Maps the downloads.</summary>
    public static IEndpointRouteBuilder MapAuditExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/t/{slug}/settings/audit-log/export", ExportTenantAsync).RequireAuthorization().WithName("TenantAuditExport").ExcludeFromDescription();
        app.MapGet("/ops/audit/export", ExportFleetAsync).RequireAuthorization(PortalPolicies.Operator).WithName("FleetAuditExport").ExcludeFromDescription();
        return app;
    }

    /// <summary><c>GET /t/{slug}/settings/audit-log/export?format=&amp;from=&amp;to=&amp;action=&amp;actor=</c>: the tenant's log as a file.</summary>
    public static async Task<Results<EmptyHttpResult, NotFound<ProblemDetails>, ProblemHttpResult>> ExportTenantAsync(
        string slug, string? format, string? from, string? to, string? action, string? actor, HttpContext http, TenantAccessService tenants,
        AuditExportService exports, CancellationToken cancellationToken)
    {
        var user = http.User;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in to export the audit log.");
        var request = AuditExportHttp.Parse(format, from, to, action, actor);
        if (!request.IsSuccess)
            return Failure(request.Error);
        var access = await tenants.EnterAsync(slug, userId, OperatorTwoFactorRequirement.SignedInWithSecondFactor(user), cancellationToken);
        if (!access.IsSuccess)
            return access.Error.Code == ErrorCodes.TwoFactorRequired ? Failure(access.Error) : Failure(Error.NotFound(access.Error.Message));
        var export = await exports.StartAsync(ActorOf(http, userId), request.Value, cancellationToken);
        if (!export.IsSuccess)
            return Failure(export.Error);
        await AuditExportHttp.WriteAsync(http, export.Value, cancellationToken);
        return TypedResults.Empty;
    }

    /// <summary><c>GET /ops/audit/export?format=&amp;from=&amp;to=&amp;tenant=&amp;action=&amp;actor=</c>: the fleet's log (or one tenant's) as a file.</summary>
    public static async Task<Results<EmptyHttpResult, NotFound<ProblemDetails>, ProblemHttpResult>> ExportFleetAsync(
        string? format, string? from, string? to, string? tenant, string? action, string? actor, HttpContext http, FleetAuditExportService exports,
        CancellationToken cancellationToken)
    {
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in to export the audit log.");
        var request = AuditExportHttp.Parse(format, from, to, action, actor);
        if (!request.IsSuccess)
            return Failure(request.Error);
        var export = await exports.StartAsync(ActorOf(http, userId), tenant, request.Value, cancellationToken);
        if (!export.IsSuccess)
            return Failure(export.Error);
        await AuditExportHttp.WriteAsync(http, export.Value, cancellationToken);
        return TypedResults.Empty;
    }

    private static Actor ActorOf(HttpContext http, string userId) =>
        new(userId, http.User.Identity?.Name ?? userId, http.Connection.RemoteIpAddress?.ToString());

    private static Results<EmptyHttpResult, NotFound<ProblemDetails>, ProblemHttpResult> Failure(Error error) => error.Code switch
    {
        ErrorCodes.NotFound => TypedResults.NotFound(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = error.Message }),
        ErrorCodes.TwoFactorRequired => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: error.Message),
        _ => Problem(error),
    };

    // The API's problem body (status by code, the field at fault, the code), so a download refused reads like the API's refusal.
    private static ProblemHttpResult Problem(Error error)
    {
        var status = ApiProblems.StatusOf(error.Code);
        var extensions = new Dictionary<string, object?>
        {
            ["errors"] = new Dictionary<string, string[]> { [error.Field ?? ""] = [error.Message] },
            ["code"] = error.Code,
        };
        return TypedResults.Problem(detail: error.Message, statusCode: status, title: status == StatusCodes.Status403Forbidden ? "Forbidden" : "The request is not valid",
            extensions: extensions);
    }
}
