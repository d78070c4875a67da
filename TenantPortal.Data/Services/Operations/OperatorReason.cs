using TenantPortal.Core.Common;

namespace TenantPortal.Data.Services.Operations;

/// <summary>
/// The reason an operator gives for an action on a tenant (suspend, reactivate, change tier, extend a trial, quota
/// overrides, resend an invitation, create a tenant, mark an invoice paid or void it): required, one line of
/// <see cref="PlainText"/>, at most <see cref="MaxLength"/> characters, trimmed. It goes into the tenant's audit log,
/// which the tenant's admins, the fleet audit and the CSV export show.
/// </summary>
public static class OperatorReason
{
    /// <summary>Longest reason.</summary>
    public const int MaxLength = 500;

    /// <summary>The field the errors name.</summary>
    public const string Field = "reason";

    /// <summary>The trimmed reason, or an error naming <see cref="Field"/>.</summary>
    public static Result<string> Validate(string? reason)
    {
        var clean = PlainText.Check(reason, Field, "The reason");
        if (!clean.IsSuccess)
            return clean.Error;
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length == 0)
            return Error.Invalid(Field, "Give a reason; it goes into the tenant's audit log.");
        if (trimmed.Length > MaxLength)
            return Error.Invalid(Field, $"Keep the reason to {MaxLength} characters.");
        return trimmed;
    }
}
