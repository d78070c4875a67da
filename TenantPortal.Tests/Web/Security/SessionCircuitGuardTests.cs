using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TenantPortal.Data.Services.Sessions;
using TenantPortal.Web.Security;
using TenantPortal.Web.Security.Sessions;

namespace TenantPortal.Tests.Web.Security;

/// <summary>
/// The circuit's session check: a burst of inbound messages (one navigation) reads the session store once, and a
/// session ended elsewhere stops the circuit at its first event once <see cref="SessionCircuitGuard.RecheckAfter"/> has passed.
/// </summary>
public class SessionCircuitGuardTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private readonly CountingSessions _sessions = new();
    private readonly RecordingNavigation _navigation = new();
    private int _handled;

    [Fact]
    public async Task ABurstOfEvents_ReadsTheSessionOnce()
    {
        var handle = Handler();

        for (var i = 0; i < 20; i++)
            await handle(null!);

        Assert.Equal((1, 20), (_sessions.Reads, _handled));
    }

    [Fact]
    public async Task ASessionEndedElsewhere_StopsTheCircuit_AtItsFirstEventAfterTheRecheckWindow()
    {
        var handle = Handler();
        await handle(null!);

        _sessions.Active = false;
        _time.Advance(SessionCircuitGuard.RecheckAfter);
        await handle(null!);
        await handle(null!);

        Assert.Equal(1, _handled);
        Assert.Equal(2, _sessions.Reads);
        Assert.Equal(["Account/Login?ReturnUrl=t%2Facme"], _navigation.Targets);
    }

    private Func<CircuitInboundActivityContext, Task> Handler()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(SessionClaims.SessionId, "session-1")], "test"));
        var authentication = new FixedAuthentication(user);
        var guard = new SessionCircuitGuard(authentication, _sessions, new CurrentUser(authentication), _navigation, _time,
            NullLogger<SessionCircuitGuard>.Instance);
        return guard.CreateInboundActivityHandler(_ =>
        {
            _handled++;
            return Task.CompletedTask;
        });
    }

    private sealed class FixedAuthentication(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    private sealed class RecordingNavigation : NavigationManager
    {
        public RecordingNavigation() => Initialize("https://portal.test/", "https://portal.test/t/acme");

        public List<string> Targets { get; } = [];

        protected override void NavigateToCore(string uri, NavigationOptions options) => Targets.Add(uri);
    }

    private sealed class CountingSessions : IUserSessionStore
    {
        public bool Active { get; set; } = true;

        public int Reads { get; private set; }

        public Task<bool> SeenAsync(string sessionId, string? ipAddress, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(Active);
        }

        public Task<string> CreateAsync(UserSessionStart session, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<byte[]?> FindTicketAsync(string sessionId, string? ipAddress, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> RenewAsync(string sessionId, string userId, byte[] ticket, DateTimeOffset expiresAt, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<UserSessionInfo>> ListActiveAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> RevokeAsync(string sessionId, string? userId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<int> RevokeAllAsync(string userId, string? exceptSessionId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<int> RemoveEndedAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
