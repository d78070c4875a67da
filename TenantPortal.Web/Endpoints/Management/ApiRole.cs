using System.Text.Json;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>A role in an API body: one of the role names (any case), never a number.</summary>
public static class ApiRole
{
    /// <summary>The required role field <paramref name="field"/>, or an error naming it.</summary>
    public static Result<TenantRole> Required(JsonElement body, string field)
    {
        if (body.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            && Enum.GetNames<TenantRole>().FirstOrDefault(n => string.Equals(n, value.GetString(), StringComparison.OrdinalIgnoreCase)) is { } name)
            return Enum.Parse<TenantRole>(name);
        return Error.Invalid(field, $"{field} is required and must be one of {string.Join(", ", Enum.GetNames<TenantRole>().Reverse())}.");
    }
}
