using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Identity;

/// <summary>
/// Holds the text of an account (email, user name, display name, phone number) to <see cref="PlainText"/> whenever
/// Identity creates or updates a user: registration, an external log-in, an operator's invitation, a profile change,
/// the confirmation of an email change. A new user is checked whole; an existing one only in the values that change,
/// so an account stored before the rule is never locked out of signing in (which updates the user) by a display name
/// it can still correct on its profile page.
/// </summary>
/// <param name="db">The request's context, the one Identity's user store tracks the user in.</param>
public sealed class PlainTextUserValidator(PortalDbContext db) : IUserValidator<PortalUser>
{
    /// <inheritdoc />
    public Task<IdentityResult> ValidateAsync(UserManager<PortalUser> manager, PortalUser user)
    {
        var entry = db.Entry(user);
        List<IdentityError>? errors = null;
        Check(nameof(PortalUser.Email), user.Email, "The email address");
        // The user name is the email address: one message for both.
        if (!string.Equals(user.UserName, user.Email, StringComparison.Ordinal))
            Check(nameof(PortalUser.UserName), user.UserName, "The user name");
        Check(nameof(PortalUser.DisplayName), user.DisplayName, "The display name");
        Check(nameof(PortalUser.PhoneNumber), user.PhoneNumber, "The phone number");
        return Task.FromResult(errors is null ? IdentityResult.Success : IdentityResult.Failed([.. errors]));

        void Check(string property, string? value, string subject)
        {
            // A stored user's value as loaded is left alone; a new user has no such value.
            if (entry.State is EntityState.Unchanged or EntityState.Modified && Equals(entry.Property(property).OriginalValue, value))
                return;
            if (PlainText.Problem(value, subject) is { } problem)
                (errors ??= []).Add(new IdentityError { Code = $"InvalidCharacters{property}", Description = problem });
        }
    }
}
