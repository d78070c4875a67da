using TenantPortal.Core.Common;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// The stable problem <c>code</c>s an operation may answer with, as endpoint metadata: the OpenAPI document lists
/// them under each operation's error responses, with their HTTP status.
/// </summary>
/// <param name="Codes">The codes, beyond those every API call may get (401, 429).</param>
public sealed record ApiErrorCodes(IReadOnlyList<string> Codes);

/// <summary>Declares an endpoint's problem responses.</summary>
public static class ApiErrorCodesExtensions
{
    /// <summary>Adds the problem responses of <paramref name="codes"/>, plus 401 and 429 that every API call may get.</summary>
    public static RouteHandlerBuilder ProducesApiErrors(this RouteHandlerBuilder builder, params string[] codes)
    {
        builder.WithMetadata(new ApiErrorCodes(codes));
        foreach (var status in codes.Select(ApiProblems.StatusOf).Append(StatusCodes.Status401Unauthorized).Append(StatusCodes.Status429TooManyRequests).Distinct())
            builder.ProducesProblem(status);
        return builder;
    }

    /// <summary>The codes of a status, for the document.</summary>
    public static IEnumerable<string> OfStatus(this ApiErrorCodes codes, int status) => codes.Codes.Where(c => ApiProblems.StatusOf(c) == status);

    /// <summary>Every code the API may answer with, and its status (for the document's description).</summary>
    public static IReadOnlyList<string> All { get; } = typeof(ErrorCodes).GetFields()
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList();
}
