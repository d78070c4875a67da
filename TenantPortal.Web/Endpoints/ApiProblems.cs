using TenantPortal.Core.Common;

namespace TenantPortal.Web.Endpoints;

/// <summary>RFC 7807 problem bodies for the API: the status, a title, the message, and the field (and event) at fault.</summary>
public static class ApiProblems
{
    /// <summary>A problem from a parse failure.</summary>
    public static IResult From(BatchProblem problem) => Build(problem.Status, problem.Field, problem.Message, problem.EventIndex, problem.EventId);

    /// <summary>A problem from a service error (422 for invalid input, 404, 403, 409).</summary>
    public static IResult From(Error error, IReadOnlyList<Core.Usage.UsageEventInput>? events = null)
    {
        var status = error.Code switch
        {
            ErrorCodes.NotFound => StatusCodes.Status404NotFound,
            ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
            ErrorCodes.Conflict => StatusCodes.Status409Conflict,
            _ when error.Field == "events" && events is { Count: > Core.Usage.UsageBatchRules.MaxEvents } => StatusCodes.Status413PayloadTooLarge,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        int? index = null;
        string? id = null;
        if (error.Field is { } field && field.StartsWith("events[", StringComparison.Ordinal)
            && int.TryParse(field.AsSpan(7, field.IndexOf(']') - 7), out var i))
        {
            index = i;
            id = events is not null && i < events.Count ? events[i].ClientEventId : null;
        }
        return Build(status, error.Field ?? "", error.Message, index, id, error.Code);
    }

    private static IResult Build(int status, string field, string message, int? eventIndex, string? eventId, string? code = null)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["errors"] = new Dictionary<string, string[]> { [field] = [message] },
        };
        if (code is not null)
            extensions["code"] = code;
        if (eventIndex is not null)
            extensions["eventIndex"] = eventIndex;
        if (eventId is not null)
            extensions["eventId"] = eventId;
        return TypedResults.Problem(detail: message, statusCode: status, title: TitleOf(status), extensions: extensions);
    }

    private static string TitleOf(int status) => status switch
    {
        400 => "The request is malformed",
        413 => "The request is too large",
        422 => "The request is not valid",
        404 => "Not found",
        403 => "Forbidden",
        409 => "Conflict",
        _ => "The request failed",
    };
}
