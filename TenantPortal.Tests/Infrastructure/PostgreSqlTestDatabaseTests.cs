namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL test that can't reach its server fails saying how to start it, whether it opened the server
/// synchronously (a database copy) or not.
/// </summary>
public class PostgreSqlTestDatabaseTests
{
    // Nothing listens on port 1 of loopback: the connection is refused at once.
    private const string Unreachable = "Host=127.0.0.1;Port=1;Username=postgres;Timeout=5";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OpenServer_FailsWithTheStartHint_WhenTheServerCantBeReached(bool async)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await PostgreSqlTestDatabase.OpenServerAsync(async, Unreachable));

        Assert.Contains("The tests' PostgreSQL server can't be reached", error.Message, StringComparison.Ordinal);
        Assert.Contains(TestServers.StartHint, error.Message, StringComparison.Ordinal);
    }
}
