namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// Where the tests find their PostgreSQL and Redis servers: <c>deploy/test-servers.sh up</c> starts both on loopback
/// (./test.sh and .ci/run call it); <c>TENANTPORTAL_TEST_POSTGRES</c> / <c>TENANTPORTAL_TEST_REDIS</c> point elsewhere.
/// </summary>
public static class TestServers
{
    /// <summary>What to run when a server can't be reached.</summary>
    public const string StartHint = "Start the test servers with: deploy/test-servers.sh up  (installs postgresql and redis-server with apt when run as root), "
        + "or point TENANTPORTAL_TEST_POSTGRES / TENANTPORTAL_TEST_REDIS at running ones.";

    /// <summary>A superuser connection string to the tests' PostgreSQL server (no database named).</summary>
    public static string PostgreSql =>
        Environment.GetEnvironmentVariable("TENANTPORTAL_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=55432;Username=postgres";

    /// <summary>A StackExchange.Redis connection string to the tests' Redis server.</summary>
    public static string Redis =>
        Environment.GetEnvironmentVariable("TENANTPORTAL_TEST_REDIS") is { Length: > 0 } configured
            ? configured
            : "127.0.0.1:56379";
}
