using TenantPortal.Core.Common;

namespace TenantPortal.Tests.Core;

public class HostNamesTests
{
    [Theory]
    [InlineData("portal.example.com", "portal.example.com")]
    [InlineData("Portal.Example.COM", "portal.example.com")]
    [InlineData("portal.example.com.", "portal.example.com")]
    [InlineData("localhost", "localhost")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("BÜCHER.example.", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("a-b.c-d.example", "a-b.c-d.example")]
    [InlineData("123.example", "123.example")]
    public void Normalize_GivesTheLowerCasePunycodeNameWithoutTheTrailingDot(string input, string expected) =>
        Assert.Equal(expected, HostNames.Normalize(input));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a..b")]
    [InlineData("example..")]
    [InlineData(".example")]
    [InlineData("-a.example")]
    [InlineData("a-.example")]
    [InlineData("a_b.example")]
    [InlineData("a b.example")]
    [InlineData("xn--a")]
    [InlineData("xn--")]
    [InlineData("xn--zz-.example")]
    [InlineData("127.0.0.1")]
    [InlineData("example.123")]
    [InlineData("a\u202eb.example")]
    [InlineData("a\u0000b.example")]
    [InlineData("\ud800.example")]
    public void Normalize_RefusesWhatIsNotAHostName(string input) => Assert.Null(HostNames.Normalize(input));

    [Fact]
    public void Normalize_RefusesALabelOver63_AndANameOver253Characters()
    {
        Assert.NotNull(HostNames.Normalize(new string('a', 63) + ".example"));
        Assert.Null(HostNames.Normalize(new string('a', 64) + ".example"));
        Assert.Null(HostNames.Normalize(string.Join('.', Enumerable.Repeat(new string('a', 63), 4)) + ".example"));
    }

    [Theory]
    [InlineData("portal.test", "portal.test", true)]
    [InlineData("acme.portal.test", "portal.test", true)]
    [InlineData("a.b.portal.test", "portal.test", true)]
    [InlineData("evilportal.test", "portal.test", false)]
    [InlineData("portal.test.evil", "portal.test", false)]
    public void IsSameOrSubdomainOf_ComparesWholeLabels(string host, string domain, bool expected) =>
        Assert.Equal(expected, HostNames.IsSameOrSubdomainOf(host, domain));
}
