using System.Text.Json;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Scim;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>
/// Reads a SCIM request body: a JSON object of at most <see cref="MaxBytes"/>, as <c>application/scim+json</c> or
/// <c>application/json</c>. Attribute names are case-insensitive (RFC 7643 §2.1), so lookups go through <see cref="Find"/>.
/// </summary>
public static class ScimBody
{
    /// <summary>The largest body read (a group of thousands of members fits).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The body's root object, or an <c>invalidSyntax</c> error saying why not.</summary>
    public static async Task<Result<JsonElement>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
            return Syntax($"The body can be at most {MaxBytes} bytes.");
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                return Syntax($"The body can be at most {MaxBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
            return Syntax("The request needs a JSON body.");
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return Syntax("The body must be a JSON object.");
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return Syntax($"The body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>The property named <paramref name="name"/>, compared case-insensitively; null when absent or JSON null.</summary>
    public static JsonElement? Find(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            return null;
        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                return property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
        }
        return null;
    }

    /// <summary>A string attribute (absent: null), or an <c>invalidValue</c> error naming it.</summary>
    public static Result<string?> String(JsonElement? value, string attribute) => value switch
    {
        null => Result<string?>.Ok(null),
        { ValueKind: JsonValueKind.String } v => Result<string?>.Ok(v.GetString()),
        _ => new Error(ScimErrorCodes.InvalidValue, $"{attribute} must be a string.", attribute),
    };

    /// <summary>
    /// A boolean attribute (absent: null): JSON true/false, or the strings "true"/"false" in any case, as Entra ID sends
    /// <c>active</c> in a PATCH; anything else is an <c>invalidValue</c> error naming it.
    /// </summary>
    public static Result<bool?> Boolean(JsonElement? value, string attribute) => value switch
    {
        null => Result<bool?>.Ok(null),
        { ValueKind: JsonValueKind.True } => Result<bool?>.Ok(true),
        { ValueKind: JsonValueKind.False } => Result<bool?>.Ok(false),
        { ValueKind: JsonValueKind.String } v when bool.TryParse(v.GetString()?.Trim(), out var parsed) => Result<bool?>.Ok(parsed),
        _ => new Error(ScimErrorCodes.InvalidValue, $"{attribute} must be true or false.", attribute),
    };

    /// <summary>An <c>invalidSyntax</c> error.</summary>
    public static Error Syntax(string message) => new(ScimErrorCodes.InvalidSyntax, message);
}
