using System.Security.Cryptography;
using System.Text;
using TenantPortal.Data.Services.Webhooks;

namespace TenantPortal.Tests.Data.Webhooks;

public class WebhookSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_IsStripesScheme_HmacSha256OfTimestampDotBody()
    {
        var header = WebhookSignature.Create(1_700_000_000, "{\"a\":1}", ["whsec_one"]);

        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec_one"), Encoding.UTF8.GetBytes("1700000000.{\"a\":1}")));
        Assert.Equal($"t=1700000000,v1={expected}", header);
    }

    [Fact]
    public void Verify_AcceptsEitherSecret_OfATwoSecretHeader()
    {
        var header = WebhookSignature.Create(Now.ToUnixTimeSeconds(), "body", ["whsec_new", "whsec_old"]);

        Assert.True(WebhookSignature.Verify(header, "body", "whsec_new", Now, TimeSpan.FromMinutes(5)));
        Assert.True(WebhookSignature.Verify(header, "body", "whsec_old", Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(header, "body", "whsec_other", Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(header, "body!", "whsec_new", Now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Verify_RefusesATimestampOutsideTheTolerance()
    {
        var header = WebhookSignature.Create(Now.AddMinutes(-10).ToUnixTimeSeconds(), "body", ["whsec_new"]);

        Assert.False(WebhookSignature.Verify(header, "body", "whsec_new", Now, TimeSpan.FromMinutes(5)));
    }
}
