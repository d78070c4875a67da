using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// Self-signed certificates for the Data Protection key encryption (<c>DataProtection:Certificate:*</c>), made in the
/// test run as .pfx files under the temp folder. Every portal started in Production needs one.
/// </summary>
public static class TestCertificates
{
    /// <summary>The password of every certificate file made here.</summary>
    public const string Password = "test-certificate-password";

    private static readonly string Folder = Path.Combine(Path.GetTempPath(), $"tenantportal-certs-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private static readonly Lazy<string> SharedFile = new(() => Create("shared"));

    static TestCertificates() =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp folder, which the system cleans.
            }
        };

    /// <summary>The certificate the test hosts share (one file per test run).</summary>
    public static string SharedPath => SharedFile.Value;

    /// <summary>The settings that give a portal <paramref name="path"/> (by default the shared certificate).</summary>
    public static Dictionary<string, string> Settings(string? path = null) => new()
    {
        ["DataProtection:Certificate:Path"] = path ?? SharedPath,
        ["DataProtection:Certificate:Password"] = Password,
    };

    /// <summary>A new self-signed RSA certificate saved as a .pfx protected with <paramref name="password"/>; returns its path.</summary>
    public static string Create(string name, string password = Password)
    {
        Directory.CreateDirectory(Folder);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=TenantPortal test data protection ({name})", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(Folder, $"{name}-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }
}
