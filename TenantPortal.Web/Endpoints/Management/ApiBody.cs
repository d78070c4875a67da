using System.Text.Json;
using TenantPortal.Core.Common;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// Reads a JSON object body strictly: malformed JSON or a body that isn't an object is a 400, a field the operation
/// doesn't know is a 422 naming it, so a typo never passes silently as "nothing changed".
/// </summary>
public static class ApiBody
{
    /// <summary>The largest management request body.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The body as a JSON object with only <paramref name="fields"/> (camelCase), or the problem to answer.</summary>
    public static Task<(JsonElement Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, IReadOnlyCollection<string> fields, CancellationToken cancellationToken) =>
        ReadObjectAsync(request, fields, MaxBytes, cancellationToken);

    /// <summary>As <see cref="ReadObjectAsync(HttpRequest, IReadOnlyCollection{string}, CancellationToken)"/>, for a body of at most <paramref name="maxBytes"/>.</summary>
    public static async Task<(JsonElement Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, IReadOnlyCollection<string> fields, int maxBytes,
        CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            return (default, Malformed(StatusCodes.Status413PayloadTooLarge, $"The body must be at most {maxBytes / 1024} KiB."));
        if (!request.HasJsonContentType())
            return (default, UnsupportedMediaType());
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException e)
        {
            return (default, Malformed(StatusCodes.Status400BadRequest, $"The body is not valid JSON: {e.Message}"));
        }
        using (document)
        {
            var body = document.RootElement.Clone();
            if (body.ValueKind != JsonValueKind.Object)
                return (default, Malformed(StatusCodes.Status400BadRequest, "The body must be a JSON object."));
            if (JsonText.FindInvalid(body) is { } notText)
                return (default, Malformed(StatusCodes.Status400BadRequest, $"{notText} {JsonText.NotText}.", notText));
            foreach (var property in body.EnumerateObject())
            {
                // The field's name would be echoed as the key of the problem's errors: one that the text rule refuses is not.
                if (PlainText.IndexOfRefused(property.Name) is var refused and >= 0)
                    return (default, ApiProblems.From(PlainText.Refusal("body", "A field name", property.Name, refused)));
                if (!fields.Contains(property.Name))
                    return (default, ApiProblems.From(Error.Invalid(property.Name, $"'{property.Name}' is not a field of this request; use {string.Join(", ", fields)}.")));
            }
            return (body, null);
        }
    }

    /// <summary>A string field: absent (keep), null (clear) or a string; anything else is an error naming it.</summary>
    public static Result<Optional<string?>> String(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var value))
            return Optional<string?>.Absent;
        return value.ValueKind switch
        {
            JsonValueKind.Null => new Optional<string?>(null),
            JsonValueKind.String => new Optional<string?>(value.GetString()),
            _ => Error.Invalid(field, $"{field} must be a string or null."),
        };
    }

    /// <summary>A required string field.</summary>
    public static Result<string> RequiredString(JsonElement body, string field) =>
        body.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : Error.Invalid(field, $"{field} is required and must be a string.");

    /// <summary>
    /// A required enum field given by one name (e.g. "Professional"), case-insensitively; numbers are not names, and
    /// neither are lists ("Admin,Viewer", which <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would combine).
    /// </summary>
    public static Result<T> Choice<T>(JsonElement body, string field, string names) where T : struct, Enum
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String)
            return Error.Invalid(field, $"{field} is required: one of {names}.");
        var text = value.GetString()!;
        var clean = PlainText.Check(text, field, $"The {field}");
        if (!clean.IsSuccess)
            return clean.Error;
        if (text.Length == 0 || !char.IsLetter(text[0]) || text.Contains(',') || !Enum.TryParse<T>(text, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            return Error.Invalid(field, $"'{text}' is not one of {names}.");
        return parsed;
    }

    /// <summary>The 415 problem for a body that is not JSON, naming the body.</summary>
    public static IResult UnsupportedMediaType() =>
        Malformed(StatusCodes.Status415UnsupportedMediaType, "Send the body as JSON: Content-Type: application/json.");

    private static IResult Malformed(int status, string message, string field = "body") =>
        TypedResults.Problem(detail: message, statusCode: status, title: "The request is malformed",
            extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.Invalid, ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });
}
