using TenantPortal.Core.Tenants;

namespace TenantPortal.Tests.Core;

public class TenantSlugTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("acme-corp-2")]
    [InlineData("abc")]
    public void Validate_Accepts_WellFormedSlugs(string slug) => Assert.True(TenantSlug.Validate(slug).IsSuccess);

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("Acme")]
    [InlineData("acme_corp")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("ops")]
    [InlineData("api")]
    [InlineData("hangfire")]
    [InlineData("account")]
    public void Validate_RefusesBadOrReservedSlugs_NamingTheField(string slug)
    {
        var result = TenantSlug.Validate(slug);

        Assert.False(result.IsSuccess);
        Assert.Equal("slug", result.Error.Field);
    }

    [Fact]
    public void Validate_Refuses_MoreThan63Characters() => Assert.False(TenantSlug.Validate(new string('a', 64)).IsSuccess);

    [Theory]
    [InlineData("Acme Corp.", "acme-corp")]
    [InlineData("Café  Société", "cafe-societe")]
    [InlineData("Ops", "ops-team")]
    [InlineData("X", "x-team")]
    public void Suggest_MakesAValidSlugFromAName(string name, string expected)
    {
        var slug = TenantSlug.Suggest(name);

        Assert.Equal(expected, slug);
        Assert.True(TenantSlug.Validate(slug).IsSuccess);
    }
}
