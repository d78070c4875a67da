using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The certificate the portal needs outside Development to encrypt its Data Protection keys
/// (<c>DataProtection:Certificate:Path</c> and <c>:Password</c>): a self-signed one per scenario, with a random password.
/// </summary>
public static class HarnessCertificate
{
    /// <summary>The setting naming the certificate's file.</summary>
    public const string PathKey = "DataProtection:Certificate:Path";

    /// <summary>Writes a new .pfx into <paramref name="folder"/> and returns the portal settings that point at it.</summary>
    public static Dictionary<string, string> Create(string folder)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=TenantPortal load harness data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var path = Path.Combine(folder, "dataprotection.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return new Dictionary<string, string>
        {
            [PathKey] = path,
            ["DataProtection:Certificate:Password"] = password,
        };
    }
}
