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
/// The store is read at most once per <see cref="RecheckAfter"/> a circuit: one navigation brings a burst of a dozen
/// or more inbound messages (MudBlazor's JS-interop replies), and a read for each made the load harness's 1,000 circuits
/// eight times slower to navigate. A session ended elsewhere stops the circuit at its first event after that second.
/// </summary>
public sealed class SessionCircuitGuard(
    AuthenticationStateProvider authentication,
    IUserSessionStore sessions,
    CurrentUser currentUser,
    NavigationManager navigation,
    TimeProvider time,
    ILogger<SessionCircuitGuard> logger) : CircuitHandler
{
    /// <summary>How long a circuit trusts its last reading that its session is active.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(1);

    private bool _ended;
    private DateTimeOffset? _activeAt;

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
        var now = time.GetUtcNow();
        if (now - _activeAt < RecheckAfter)
            return true;
        var sessionId = SessionClaims.Id((await authentication.GetAuthenticationStateAsync()).User);
        // An anonymous circuit has no session to lose.
        if (sessionId is null || await sessions.SeenAsync(sessionId, currentUser.ClientIp, CancellationToken.None))
        {
            _activeAt = now;
            return true;
        }
        _ended = true;
        logger.LogInformation("A circuit's session has ended; sending it to the log-in page");
        var returnUrl = navigation.ToBaseRelativePath(navigation.Uri);
        navigation.NavigateTo($"Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}", forceLoad: true);
        return false;
    }
}
