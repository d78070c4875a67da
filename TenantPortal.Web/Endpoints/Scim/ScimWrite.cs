using System.Text.Json;
using System.Text.Json.Nodes;
using TenantPortal.Core.Common;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>
/// The handling the SCIM writes share (Users and Groups: POST, PUT, PATCH): read the body, parse it, run the service's
/// operation on the input, and answer with its result, or with the SCIM error of the first refusal.
/// </summary>
public static class ScimWrite
{
    /// <summary>Reads and parses the body, runs <paramref name="operation"/> on the input and answers with <paramref name="answer"/>.</summary>
    public static async Task<ScimResult> HandleAsync<TInput, TOutput>(HttpRequest request, Func<JsonElement, Task<Result<TInput>>> parse,
        Func<TInput, Task<Result<TOutput>>> operation, Func<TOutput, ScimResult> answer, CancellationToken cancellationToken)
    {
        var body = await ScimBody.ReadAsync(request, cancellationToken);
        if (!body.IsSuccess)
            return ScimResult.From(body.Error);
        var input = await parse(body.Value);
        if (!input.IsSuccess)
            return ScimResult.From(input.Error);
        return Answer(await operation(input.Value), answer);
    }

    /// <summary>The same with a parse that needs nothing but the body.</summary>
    public static Task<ScimResult> HandleAsync<TInput, TOutput>(HttpRequest request, Func<JsonElement, Result<TInput>> parse,
        Func<TInput, Task<Result<TOutput>>> operation, Func<TOutput, ScimResult> answer, CancellationToken cancellationToken) =>
        HandleAsync(request, body => Task.FromResult(parse(body)), operation, answer, cancellationToken);

    /// <summary>201 with the body <paramref name="write"/> makes for the new resource's <paramref name="location"/>, and that Location.</summary>
    public static ScimResult Created(Uri location, Func<Uri, JsonObject> write) => ScimResult.Created(write(location), location);

    /// <summary>The answer of a service's result: <paramref name="answer"/> on success, else its SCIM error.</summary>
    public static ScimResult Answer<T>(Result<T> result, Func<T, ScimResult> answer) =>
        result.IsSuccess ? answer(result.Value) : ScimResult.From(result.Error);
}
