using System.Text.Json;
using System.Text.Json.Nodes;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Scim;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>
/// SCIM <c>User</c> JSON: the resource the endpoints answer with, the body of a create or replace, and PATCH
/// operations (Okta's and Entra ID's shapes: <c>op</c> in any case; a <c>path</c>, or none with a value object whose
/// keys are attributes or dotted paths; <c>active</c> as a boolean or a "True"/"False" string). Attributes the service
/// does not keep (title, phone numbers, addresses, emails: the email is the userName) are ignored, as RFC 7644 §3.3 allows.
/// </summary>
public static class ScimUserJson
{
    /// <summary>The user as a SCIM resource.</summary>
    public static JsonObject Write(ScimUserView user, Uri location)
    {
        var name = new JsonObject();
        if (user.GivenName is not null)
            name["givenName"] = user.GivenName;
        if (user.FamilyName is not null)
            name["familyName"] = user.FamilyName;
        var formatted = string.Join(' ', new[] { user.GivenName, user.FamilyName }.Where(n => n is not null));
        if (formatted.Length > 0)
            name["formatted"] = formatted;
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.User),
            ["id"] = user.Id.ToString(),
        };
        if (user.ExternalId is not null)
            body["externalId"] = user.ExternalId;
        body["userName"] = user.UserName;
        body["name"] = name;
        body["displayName"] = user.DisplayName ?? (formatted.Length > 0 ? formatted : user.UserName);
        body["emails"] = new JsonArray(new JsonObject { ["value"] = user.UserName, ["type"] = "work", ["primary"] = true });
        body["active"] = user.Active;
        body["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode)new JsonObject
        {
            ["value"] = g.Id.ToString(), ["display"] = g.DisplayName, ["$ref"] = new Uri(location, $"../Groups/{g.Id}").AbsoluteUri,
        }).ToArray());
        body["meta"] = new JsonObject
        {
            ["resourceType"] = "User",
            ["created"] = user.Created.UtcDateTime.ToString("O"),
            ["lastModified"] = user.LastModified.UtcDateTime.ToString("O"),
            ["location"] = location.AbsoluteUri,
        };
        return body;
    }

    /// <summary>The user a create or replace sends.</summary>
    public static Result<ScimUserInput> Read(JsonElement body)
    {
        var userName = ScimBody.String(ScimBody.Find(body, "userName"), "userName");
        if (!userName.IsSuccess)
            return userName.Error;
        var externalId = ScimBody.String(ScimBody.Find(body, "externalId"), "externalId");
        if (!externalId.IsSuccess)
            return externalId.Error;
        var name = ScimBody.Find(body, "name");
        if (name is { ValueKind: not JsonValueKind.Object })
            return new Error(ScimErrorCodes.InvalidValue, "name must be an object.", "name");
        var given = ScimBody.String(name is { } n1 ? ScimBody.Find(n1, "givenName") : null, "name.givenName");
        if (!given.IsSuccess)
            return given.Error;
        var family = ScimBody.String(name is { } n2 ? ScimBody.Find(n2, "familyName") : null, "name.familyName");
        if (!family.IsSuccess)
            return family.Error;
        var active = ScimBody.Boolean(ScimBody.Find(body, "active"), "active");
        if (!active.IsSuccess)
            return active.Error;
        return new ScimUserInput(userName.Value, externalId.Value, given.Value, family.Value, active.Value);
    }

    /// <summary>The user after the PATCH operations of <paramref name="body"/>, applied in order to <paramref name="current"/>.</summary>
    public static Result<ScimUserInput> ApplyPatch(ScimUserView current, JsonElement body)
    {
        var operations = ScimPatch.Operations(body);
        if (!operations.IsSuccess)
            return operations.Error;
        var state = new ScimUserInput(current.UserName, current.ExternalId, current.GivenName, current.FamilyName, null);
        foreach (var operation in operations.Value)
        {
            if (operation.Path is null)
            {
                if (operation.Value is not { ValueKind: JsonValueKind.Object } values)
                    return new Error(ScimErrorCodes.InvalidValue, $"An '{operation.Op}' without a path needs an object of attributes as its value.", "value");
                foreach (var property in values.EnumerateObject())
                {
                    var applied = Apply(state, operation.Op, property.Name, property.Value.ValueKind == JsonValueKind.Null ? null : property.Value);
                    if (!applied.IsSuccess)
                        return applied.Error;
                    state = applied.Value;
                }
            }
            else
            {
                var applied = Apply(state, operation.Op, operation.Path, operation.Value);
                if (!applied.IsSuccess)
                    return applied.Error;
                state = applied.Value;
            }
        }
        return state;
    }

    // One attribute set (add, replace) or cleared (remove).
    private static Result<ScimUserInput> Apply(ScimUserInput state, string op, string path, JsonElement? value)
    {
        var remove = op == ScimPatch.Remove;
        switch (path.Trim().ToLowerInvariant())
        {
            case "active":
            {
                if (remove)
                    return state;
                var active = ScimBody.Boolean(value, "active");
                if (!active.IsSuccess)
                    return active.Error;
                return state with { Active = active.Value ?? state.Active };
            }
            case "username":
            {
                if (remove)
                    return new Error(ScimErrorCodes.Mutability, "userName is required and can't be removed.", "userName");
                var userName = ScimBody.String(value, "userName");
                if (!userName.IsSuccess)
                    return userName.Error;
                return state with { UserName = userName.Value ?? state.UserName };
            }
            case "externalid":
            {
                var text = Text(value, remove, "externalId");
                if (!text.IsSuccess)
                    return text.Error;
                return state with { ExternalId = text.Value };
            }
            case "name.givenname":
            {
                var text = Text(value, remove, "name.givenName");
                if (!text.IsSuccess)
                    return text.Error;
                return state with { GivenName = text.Value };
            }
            case "name.familyname":
            {
                var text = Text(value, remove, "name.familyName");
                if (!text.IsSuccess)
                    return text.Error;
                return state with { FamilyName = text.Value };
            }
            case "name":
            {
                if (remove)
                    return state with { GivenName = null, FamilyName = null };
                if (value is not { ValueKind: JsonValueKind.Object } name)
                    return new Error(ScimErrorCodes.InvalidValue, "name must be an object.", "name");
                var given = ScimBody.String(ScimBody.Find(name, "givenName"), "name.givenName");
                if (!given.IsSuccess)
                    return given.Error;
                var family = ScimBody.String(ScimBody.Find(name, "familyName"), "name.familyName");
                if (!family.IsSuccess)
                    return family.Error;
                return state with { GivenName = given.Value ?? state.GivenName, FamilyName = family.Value ?? state.FamilyName };
            }
            default:
                // Attributes outside the schema (title, displayName, emails, phoneNumbers, addresses, extensions) are not kept.
                return state;
        }
    }

    private static Result<string?> Text(JsonElement? value, bool remove, string attribute) =>
        remove ? Result<string?>.Ok(null) : ScimBody.String(value, attribute);
}
