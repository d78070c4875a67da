using System.Text.Json;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Scim;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>The operations of a SCIM PATCH body (RFC 7644 §3.5.2): <c>op</c> (add, replace, remove, in any case), an optional <c>path</c>, a <c>value</c>.</summary>
public static class ScimPatch
{
    /// <summary>The add operation.</summary>
    public const string Add = "add";

    /// <summary>The replace operation.</summary>
    public const string Replace = "replace";

    /// <summary>The remove operation.</summary>
    public const string Remove = "remove";

    /// <summary>One operation, with <c>op</c> lower-cased.</summary>
    public sealed record Operation(string Op, string? Path, JsonElement? Value);

    /// <summary>The body's operations, or an error naming what is wrong.</summary>
    public static Result<IReadOnlyList<Operation>> Operations(JsonElement body)
    {
        if (ScimBody.Find(body, "Operations") is not { ValueKind: JsonValueKind.Array } array)
            return new Error(ScimErrorCodes.InvalidSyntax, "A PATCH body needs an 'Operations' array.", "Operations");
        var operations = new List<Operation>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
                return new Error(ScimErrorCodes.InvalidSyntax, "Each operation must be an object.", "Operations");
            var op = ScimBody.Find(item, "op") is { ValueKind: JsonValueKind.String } o ? o.GetString()!.Trim().ToLowerInvariant() : null;
            if (op is not (Add or Replace or Remove))
                return new Error(ScimErrorCodes.InvalidSyntax, "Each operation's 'op' must be add, replace or remove.", "op");
            var path = ScimBody.Find(item, "path");
            if (path is { ValueKind: not JsonValueKind.String })
                return new Error(ScimErrorCodes.InvalidPath, "An operation's 'path' must be a string.", "path");
            var pathText = path?.GetString();
            var value = ScimBody.Find(item, "value");
            if (op != Remove && value is null)
                return new Error(ScimErrorCodes.InvalidValue, $"An '{op}' operation needs a value.", "value");
            if (op == Remove && string.IsNullOrWhiteSpace(pathText))
                return new Error(ScimErrorCodes.InvalidPath, "A 'remove' operation needs a path.", "path");
            operations.Add(new Operation(op, string.IsNullOrWhiteSpace(pathText) ? null : pathText.Trim(), value));
        }
        return operations;
    }
}
