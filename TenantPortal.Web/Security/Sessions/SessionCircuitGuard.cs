using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using TenantPortal.Data.Services.Sessions;

namespace TenantPortal.Web.Security.Sessions;

/// <summary>
/// Checks before every event of a circuit that its sign-in session is still active, on every page (tenant pages,
/// /ops, account pages alike). A circuit of a session that was signed out, revoked, or ended by a password or
/// two-factor change or an operator's lock drops the event and goes to the log-in page. Runs before
/// <see cref="TenantCircuitGuard"/>: a circuit whose session ended has no access to check.
/// </summary>
public sealed class SessionCircuitGuard(
    AuthenticationStateProvider authentication,
    IUserSessionStore sessions,
    CurrentUser currentUser,
    NavigationManager navigation,
    ILogger<SessionCircuitGuard> logger) : CircuitHandler
{
    private bool _ended;

    /// <inheritdoc />
    public override int Order => -100;

    /// <inheritdoc />
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            if (await StillSignedInAsync())
                await next(context);
        };

    private async Task<bool> StillSignedInAsync()
    {
        if (_ended)
            return false;
        var sessionId = SessionClaims.Id((await authentication.GetAuthenticationStateAsync()).User);
        // An anonymous circuit has no session to lose.
        if (sessionId is null || await sessions.SeenAsync(sessionId, currentUser.ClientIp, CancellationToken.None))
            return true;
        _ended = true;
        logger.LogInformation("A circuit's session has ended; sending it to the log-in page");
        var returnUrl = navigation.ToBaseRelativePath(navigation.Uri);
        navigation.NavigateTo($"Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}", forceLoad: true);
        return false;
    }
}
