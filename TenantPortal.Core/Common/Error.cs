namespace TenantPortal.Core.Common;

/// <summary>An expected failure: a stable machine-readable code, a human message and, when it concerns input, the field.</summary>
/// <param name="Code">Stable code such as <c>not_found</c>, <c>forbidden</c>, <c>last_owner</c>.</param>
/// <param name="Message">A sentence a person can act on.</param>
/// <param name="Field">The input field at fault, when there is one.</param>
public sealed record Error(string Code, string Message, string? Field = null)
{
    /// <summary>The thing asked for does not exist (or is not visible to the caller).</summary>
    public static Error NotFound(string message) => new(ErrorCodes.NotFound, message);

    /// <summary>The caller's role does not allow the action.</summary>
    public static Error Forbidden(string message) => new(ErrorCodes.Forbidden, message);

    /// <summary>The input is not valid; <paramref name="field"/> names it.</summary>
    public static Error Invalid(string field, string message) => new(ErrorCodes.Invalid, message, field);

    /// <summary>The action conflicts with the current state.</summary>
    public static Error Conflict(string message) => new(ErrorCodes.Conflict, message);
}
