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
        var status = error.Field == "events" && events is { Count: > Core.Usage.UsageBatchRules.MaxEvents }
            ? StatusCodes.Status413PayloadTooLarge
            : StatusOf(error.Code);
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

    /// <summary>The HTTP status of a service error's code: each stable code has one status.</summary>
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Forbidden or ErrorCodes.MissingScope or ErrorCodes.RoleEscalation or ErrorCodes.FeatureNotIncluded => StatusCodes.Status403Forbidden,
        ErrorCodes.PreconditionFailed or ErrorCodes.ConcurrencyConflict => StatusCodes.Status412PreconditionFailed,
        ErrorCodes.Conflict or ErrorCodes.LastOwner or ErrorCodes.SeatLimitReached or ErrorCodes.ApiKeyLimitReached or ErrorCodes.AlreadyMember or ErrorCodes.AlreadyInvited
            or ErrorCodes.SlugTaken or ErrorCodes.DowngradeBlocked or ErrorCodes.SamePlan or ErrorCodes.NoSubscription
            or ErrorCodes.NotAvailableInLedger or ErrorCodes.InvoiceState or ErrorCodes.InvitationRevoked or ErrorCodes.InvitationUsed
            or ErrorCodes.InvitationExpired or ErrorCodes.ConfirmationMismatch => StatusCodes.Status409Conflict,
        ErrorCodes.PaymentProvider => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

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
        // The event's id helps the client find it, unless it is the very text the rule refused: never echoed.
        if (eventId is not null && PlainText.IsClean(eventId))
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
        412 => "Precondition failed",
        502 => "The payment provider failed",
        _ => "The request failed",
    };
}
