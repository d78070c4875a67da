using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The certificate the portal needs outside Development to encrypt its Data Protection keys
/// (<c>DataProtection:Certificate:Path</c> and <c>:Password</c>): a self-signed one per folder, with a random password.
/// </summary>
public static class HarnessCertificate
{
    /// <summary>The setting naming the certificate's file.</summary>
    public const string PathKey = "DataProtection:Certificate:Path";

    /// <summary>
    /// The settings that point the portal at <paramref name="folder"/>'s certificate, written on the first call for the
    /// folder (a new .pfx with a random password) and reused after: a portal started again on the same database must read
    /// the key ring the first one encrypted (with a new certificate it could not, and logged the failure at every read).
    /// </summary>
    public static Dictionary<string, string> Create(string folder)
    {
        var path = Path.Combine(folder, "dataprotection.pfx");
        var passwordPath = Path.Combine(folder, "dataprotection.password");
        if (!File.Exists(path) || !File.Exists(passwordPath))
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=TenantPortal load harness data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            var created = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, created));
            File.WriteAllText(passwordPath, created);
        }
        return new Dictionary<string, string>
        {
            [PathKey] = path,
            ["DataProtection:Certificate:Password"] = File.ReadAllText(passwordPath),
        };
    }
}
