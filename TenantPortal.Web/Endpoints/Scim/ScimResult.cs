using System.Text.Json.Nodes;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Scim;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>
/// A SCIM response: a status, an optional <c>application/scim+json</c> body and an optional Location. Errors follow
/// the SCIM error schema (<c>status</c> as a string, <c>scimType</c> where RFC 7644 has one, <c>detail</c>).
/// </summary>
public sealed class ScimResult(int statusCode, JsonObject? body, Uri? location = null) : IResult, IStatusCodeHttpResult
{
    /// <inheritdoc />
    public int? StatusCode => statusCode;

    /// <summary>The body, or null (204).</summary>
    public JsonObject? Body => body;

    /// <summary>200 with the body.</summary>
    public static ScimResult Ok(JsonObject body) => new(StatusCodes.Status200OK, body);

    /// <summary>201 with the body and its Location.</summary>
    public static ScimResult Created(JsonObject body, Uri location) => new(StatusCodes.Status201Created, body, location);

    /// <summary>204, no body.</summary>
    public static ScimResult NoContent() => new(StatusCodes.Status204NoContent, null);

    /// <summary>A SCIM error body.</summary>
    public static ScimResult Failure(int status, string? scimType, string detail) => new(status, ErrorBody(status, scimType, detail));

    /// <summary>The SCIM error of a service's refusal: its status and <c>scimType</c> from the error code.</summary>
    public static ScimResult From(Error error)
    {
        var (status, scimType) = error.Code switch
        {
            ErrorCodes.NotFound => (StatusCodes.Status404NotFound, null),
            ErrorCodes.Forbidden or ErrorCodes.FeatureNotIncluded => (StatusCodes.Status403Forbidden, null),
            // RFC 7644 has no scimType for a quota; this one names it (see README, SCIM provisioning).
            ErrorCodes.SeatLimitReached => (StatusCodes.Status403Forbidden, "seatLimitReached"),
            ScimErrorCodes.Uniqueness or ErrorCodes.AlreadyMember => (StatusCodes.Status409Conflict, "uniqueness"),
            ErrorCodes.ConcurrencyConflict or ErrorCodes.Conflict => (StatusCodes.Status409Conflict, (string?)null),
            ScimErrorCodes.InvalidFilter => (StatusCodes.Status400BadRequest, "invalidFilter"),
            ScimErrorCodes.InvalidSyntax => (StatusCodes.Status400BadRequest, "invalidSyntax"),
            ScimErrorCodes.InvalidPath => (StatusCodes.Status400BadRequest, "invalidPath"),
            ScimErrorCodes.Mutability => (StatusCodes.Status400BadRequest, "mutability"),
            _ => (StatusCodes.Status400BadRequest, "invalidValue"),
        };
        return Failure(status, scimType, error.Message);
    }

    /// <summary>The SCIM error body.</summary>
    public static JsonObject ErrorBody(int status, string? scimType, string detail)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.Error),
            ["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (scimType is not null)
            body["scimType"] = scimType;
        body["detail"] = detail;
        return body;
    }

    /// <summary>Writes a SCIM error outside an endpoint (authentication, rate limiting).</summary>
    public static Task WriteErrorAsync(HttpContext http, int status, string? scimType, string detail) =>
        Failure(status, scimType, detail).ExecuteAsync(http);

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        if (location is not null)
            response.Headers.Location = location.AbsoluteUri;
        if (body is null)
            return;
        response.ContentType = ScimSchemas.MediaType + "; charset=utf-8";
        await response.WriteAsync(body.ToJsonString(), httpContext.RequestAborted);
    }
}
