using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Web.Security;

public class RequestHostTests
{
    [Theory]
    [InlineData("portal.example.com", "portal.example.com", null)]
    [InlineData("PORTAL.example.com.:8443", "portal.example.com", 8443)]
    [InlineData("localhost:5080", "localhost", 5080)]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("[::1]:8080", "[::1]", 8080)]
    [InlineData("[0:0:0:0:0:0:0:1]", "[::1]", null)]
    [InlineData("xn--bcher-kva.example:65535", "xn--bcher-kva.example", 65535)]
    public void TryParse_NormalizesTheNameAndKeepsThePort(string header, string name, int? port)
    {
        Assert.True(RequestHost.TryParse(header, out var host));
        Assert.Equal((name, port), (host.Name, host.Port));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("xn--a")]
    [InlineData("a..b")]
    [InlineData("host:99999")]
    [InlineData("host:0")]
    [InlineData("host:")]
    [InlineData("host:+80")]
    [InlineData("host:80:80")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("[zz::1]")]
    [InlineData("[127.0.0.1]")]
    [InlineData("999.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData(":80")]
    public void TryParse_RefusesAMalformedHost(string? header) => Assert.False(RequestHost.TryParse(header, out _));
}
