using System.ComponentModel.DataAnnotations;

namespace TenantPortal.Core.Common;

/// <summary>
/// Form validation with <see cref="PlainText"/>: a string property holding a control character or a bidirectional
/// control fails, with the message shown under the field (e.g. by <c>ValidationMessage</c> in the account pages).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class PlainTextAttribute : ValidationAttribute
{
    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string text && PlainText.Problem(text, validationContext.DisplayName) is { } problem
            ? new ValidationResult(problem, validationContext.MemberName is { } member ? [member] : null)
            : ValidationResult.Success;
}
