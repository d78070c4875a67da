using System.Net;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Webhooks;

namespace TenantPortal.Tests.Data.Webhooks;

public class WebhookAddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.10.10")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    public void Refusal_NamesWhy_ForAddressesThePortalNeverSendsTo(string address)
    {
        Assert.NotNull(WebhookAddressGuard.Refusal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("203.0.113.10")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2001:db8::1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Refusal_IsNull_ForPublicAddresses(string address)
    {
        Assert.Null(WebhookAddressGuard.Refusal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("http://example.com/hooks")]
    [InlineData("ftp://example.com/hooks")]
    [InlineData("https://user:pass@example.com/hooks")]
    [InlineData("https://127.0.0.1/hooks")]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://10.0.0.5/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://localhost/hooks")]
    [InlineData("https://api.localhost/hooks")]
    [InlineData("https://example.com/hooks#part")]
    public void CheckUrl_RefusesNamingUrl_WhenNotAPublicHttpsAddress(string? url)
    {
        var result = WebhookAddressGuard.CheckUrl(url, allowPrivate: false);

        Assert.False(result.IsSuccess);
        Assert.Equal((ErrorCodes.Invalid, "url"), (result.Error.Code, result.Error.Field));
    }

    [Fact]
    public void CheckUrl_AcceptsHttpAndLoopback_OnlyWhenPrivateAddressesAreAllowed()
    {
        Assert.True(WebhookAddressGuard.CheckUrl("http://127.0.0.1:5000/hooks", allowPrivate: true).IsSuccess);
        Assert.Equal("https://example.com/hooks", WebhookAddressGuard.CheckUrl(" https://example.com/hooks ", allowPrivate: false).Value);
    }
}
