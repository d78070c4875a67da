using System.Net.Mail;
using System.Text.RegularExpressions;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Services.Tenants;

/// <summary>
/// Checks and normalises the free-text fields of a tenant; errors name the field. Every value is first held to
/// <see cref="PlainText"/> as sent (no control characters or bidirectional controls), then trimmed.
/// </summary>
public static partial class TenantInput
{
    /// <summary>A display name: required, at most 100 characters, trimmed.</summary>
    public static Result<string> Name(string? name)
    {
        var clean = PlainText.Check(name, "name", "The name");
        if (!clean.IsSuccess)
            return clean.Error;
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
            return Error.Invalid("name", "The name is required.");
        if (trimmed.Length > FieldLengths.Name)
            return Error.Invalid("name", $"The name can be at most {FieldLengths.Name} characters long.");
        return trimmed;
    }

    /// <summary>An optional email address, trimmed; empty becomes null.</summary>
    public static Result<string?> OptionalEmail(string? email, string field)
    {
        var clean = PlainText.Check(email, field, "The email address");
        if (!clean.IsSuccess)
            return clean.Error;
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return Result<string?>.Ok(null);
        return IsEmail(trimmed) ? Result<string?>.Ok(trimmed) : Error.Invalid(field, $"'{trimmed}' is not an email address.");
    }

    /// <summary>A required email address, trimmed; <paramref name="missing"/> is the message when it is absent or not an address.</summary>
    public static Result<string> Email(string? email, string field, string missing)
    {
        var clean = PlainText.Check(email, field, "The email address");
        if (!clean.IsSuccess)
            return clean.Error;
        var trimmed = email?.Trim() ?? "";
        return IsEmail(trimmed) ? trimmed : Error.Invalid(field, missing);
    }

    /// <summary>True for a single plain address such as <c>a@b.c</c> (never one holding a character <see cref="PlainText"/> refuses).</summary>
    public static bool IsEmail(string value) =>
        PlainText.IsClean(value) && value.Length <= FieldLengths.Email && MailAddress.TryCreate(value, out var parsed) && parsed.Address == value && value.Contains('.', StringComparison.Ordinal);

    /// <summary>
    /// An optional custom domain (a host name such as <c>portal.acme.com</c>), trimmed and normalized (lower case, no
    /// trailing dot, IDN as punycode); empty becomes null. Never one of the portal's own addresses: its public host,
    /// <c>Tenancy:RootDomain</c> or a host under it (another tenant's <c>{slug}.{RootDomain}</c>).
    /// </summary>
    public static Result<string?> OptionalDomain(string? domain, IPortalAddresses portal) => Domain(domain, portal, "customDomain", "The custom domain");

    /// <summary>
    /// A domain as <see cref="OptionalDomain"/> normalizes and refuses it, with errors naming <paramref name="field"/> and
    /// starting with <paramref name="label"/> (e.g. "The domain"); empty becomes null.
    /// </summary>
    public static Result<string?> Domain(string? domain, IPortalAddresses portal, string field, string label)
    {
        if (PlainText.Check(domain, field, label) is { IsSuccess: false } refused)
            return refused.Error;
        var trimmed = domain?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return Result<string?>.Ok(null);
        var host = HostNames.Normalize(trimmed);
        if (host is null || !host.Contains('.', StringComparison.Ordinal))
            return Error.Invalid(field, $"{label} must be a host name such as portal.example.com (no scheme, path or port).");
        if (host == portal.PublicHost || (portal.RootDomain is { } root && HostNames.IsSameOrSubdomainOf(host, root)))
            return Error.Invalid(field, $"'{host}' is one of the portal's own addresses; use a domain of your own, such as portal.example.com.");
        return host;
    }
}
