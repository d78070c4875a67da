using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Scim;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>
/// SCIM <c>Group</c> JSON: the resource, the body of a create or replace, and PATCH operations as Okta and Entra ID
/// send them: <c>add</c>/<c>replace</c>/<c>remove</c> of <c>members</c> (with a value array, Entra's remove too),
/// <c>remove</c> of <c>members[value eq "id"]</c>, and <c>replace</c> of <c>displayName</c> or <c>externalId</c>, with a
/// path or as a value object without one.
/// </summary>
public static partial class ScimGroupJson
{
    /// <summary>The group as a SCIM resource (members left out when <paramref name="withMembers"/> is false).</summary>
    public static JsonObject Write(ScimGroupView group, Uri location, bool withMembers = true)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.Group),
            ["id"] = group.Id.ToString(),
        };
        if (group.ExternalId is not null)
            body["externalId"] = group.ExternalId;
        body["displayName"] = group.DisplayName;
        if (withMembers)
        {
            body["members"] = new JsonArray(group.Members.Select(m => (JsonNode)new JsonObject
            {
                ["value"] = m.Id.ToString(), ["display"] = m.UserName, ["$ref"] = new Uri(location, $"../Users/{m.Id}").AbsoluteUri,
            }).ToArray());
        }
        body["meta"] = new JsonObject
        {
            ["resourceType"] = "Group",
            ["created"] = group.Created.UtcDateTime.ToString("O"),
            ["lastModified"] = group.LastModified.UtcDateTime.ToString("O"),
            ["location"] = location.AbsoluteUri,
        };
        return body;
    }

    /// <summary>The group a create or replace sends.</summary>
    public static Result<ScimGroupInput> Read(JsonElement body)
    {
        var name = ScimBody.String(ScimBody.Find(body, "displayName"), "displayName");
        if (!name.IsSuccess)
            return name.Error;
        var externalId = ScimBody.String(ScimBody.Find(body, "externalId"), "externalId");
        if (!externalId.IsSuccess)
            return externalId.Error;
        var members = ScimBody.Find(body, "members") is { } list ? MemberIds(list) : Result<IReadOnlyList<Guid>>.Ok([]);
        if (!members.IsSuccess)
            return members.Error;
        return new ScimGroupInput(name.Value, externalId.Value, members.Value);
    }

    /// <summary>The effect of a PATCH body.</summary>
    public static Result<ScimGroupPatch> ReadPatch(JsonElement body)
    {
        var operations = ScimPatch.Operations(body);
        if (!operations.IsSuccess)
            return operations.Error;
        var patch = new ScimGroupPatch(null, null, false, false, null, [], []);
        foreach (var operation in operations.Value)
        {
            if (operation.Path is null)
            {
                if (operation.Value is not { ValueKind: JsonValueKind.Object } values)
                    return new Error(ScimErrorCodes.InvalidValue, $"An '{operation.Op}' without a path needs an object of attributes as its value.", "value");
                foreach (var property in values.EnumerateObject())
                {
                    var applied = Apply(patch, operation.Op, property.Name, property.Value.ValueKind == JsonValueKind.Null ? null : property.Value);
                    if (!applied.IsSuccess)
                        return applied.Error;
                    patch = applied.Value;
                }
            }
            else
            {
                var applied = Apply(patch, operation.Op, operation.Path, operation.Value);
                if (!applied.IsSuccess)
                    return applied.Error;
                patch = applied.Value;
            }
        }
        return patch;
    }

    private static Result<ScimGroupPatch> Apply(ScimGroupPatch patch, string op, string path, JsonElement? value)
    {
        var filtered = MemberFilter().Match(path.Trim());
        if (filtered.Success)
        {
            if (op != ScimPatch.Remove)
                return new Error(ScimErrorCodes.InvalidPath, "members[value eq \"…\"] can only be removed; add members with the path 'members'.", "path");
            if (!Guid.TryParse(filtered.Groups["id"].Value, out var id))
                return new Error(ScimErrorCodes.InvalidValue, $"'{filtered.Groups["id"].Value}' is not a user id of this workspace.", "members");
            return patch with { Remove = [.. patch.Remove, id], Add = patch.Add.Where(a => a != id).ToList() };
        }
        switch (path.Trim().ToLowerInvariant())
        {
            case "members":
            {
                if (op == ScimPatch.Remove && value is null)
                    return patch with { RemoveAll = true, ReplaceMembers = null, Remove = [], Add = [] };
                var ids = value is { } v ? MemberIds(v) : Result<IReadOnlyList<Guid>>.Ok([]);
                if (!ids.IsSuccess)
                    return ids.Error;
                return op switch
                {
                    ScimPatch.Add => patch with { Add = [.. patch.Add, .. ids.Value], Remove = patch.Remove.Except(ids.Value).ToList() },
                    ScimPatch.Remove => patch with { Remove = [.. patch.Remove, .. ids.Value], Add = patch.Add.Except(ids.Value).ToList() },
                    _ => patch with { ReplaceMembers = ids.Value, RemoveAll = false, Remove = [], Add = [] },
                };
            }
            case "displayname":
            {
                if (op == ScimPatch.Remove)
                    return new Error(ScimErrorCodes.Mutability, "displayName is required and can't be removed.", "displayName");
                var name = ScimBody.String(value, "displayName");
                if (!name.IsSuccess)
                    return name.Error;
                return patch with { RenameTo = name.Value };
            }
            case "externalid":
            {
                if (op == ScimPatch.Remove)
                    return patch with { ExternalId = null, SetExternalId = true };
                var externalId = ScimBody.String(value, "externalId");
                if (!externalId.IsSuccess)
                    return externalId.Error;
                return patch with { ExternalId = externalId.Value, SetExternalId = true };
            }
            case "id" or "schemas" or "meta":
                // Okta's replace without a path repeats the id; read-only attributes are ignored.
                return patch;
            default:
                return new Error(ScimErrorCodes.InvalidPath, $"The path '{path}' is not supported for groups: use displayName, externalId, members or members[value eq \"id\"].", "path");
        }
    }

    // A members value: an array of {"value": "<user id>"} (or one such object).
    private static Result<IReadOnlyList<Guid>> MemberIds(JsonElement value)
    {
        var items = value.ValueKind switch
        {
            JsonValueKind.Array => value.EnumerateArray().ToList(),
            JsonValueKind.Object => [value],
            _ => null,
        };
        if (items is null)
            return new Error(ScimErrorCodes.InvalidValue, "members must be an array of objects with a 'value' (a user id).", "members");
        var ids = new List<Guid>();
        foreach (var item in items)
        {
            var id = ScimBody.Find(item, "value") is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
            if (!Guid.TryParse(id, out var parsed))
                return new Error(ScimErrorCodes.InvalidValue, $"'{id ?? "(none)"}' is not a user id of this workspace.", "members");
            ids.Add(parsed);
        }
        return Result<IReadOnlyList<Guid>>.Ok(ids);
    }

    [GeneratedRegex("""^members\[\s*value\s+eq\s+"(?<id>[^"]*)"\s*\]$""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 200)]
    private static partial Regex MemberFilter();
}
