using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace TenantPortal.Data.Options;

/// <summary>
/// The certificates of <see cref="DataProtectionCertificateOptions"/>, loaded: <see cref="Current"/> encrypts new keys,
/// and it and <see cref="Previous"/> decrypt stored ones. Loaded when services are added, so that a wrong path or
/// password stops the start with one line naming the key.
/// </summary>
/// <param name="Current">Encrypts every new key (and decrypts).</param>
/// <param name="Previous">Only decrypt keys written before a rotation.</param>
public sealed record DataProtectionCertificates(X509Certificate2 Current, IReadOnlyList<X509Certificate2> Previous)
{
    /// <summary>The message of a start outside Development without a certificate.</summary>
    public const string RequiredMessage =
        $"{DataProtectionCertificateOptions.SectionName}:Path is required outside Development: the .pfx certificate (with " +
        $"{DataProtectionCertificateOptions.SectionName}:Password) that encrypts the Data Protection keys stored in the database.";

    /// <summary>Every certificate that may decrypt a stored key: the current one first.</summary>
    public IReadOnlyList<X509Certificate2> All => [Current, .. Previous];

    /// <summary>
    /// Loads the configured certificates; null when <c>DataProtection:Certificate:Path</c> is not set (whether that is
    /// allowed depends on the environment and is checked at start). Throws <see cref="InvalidSettingException"/> naming
    /// the key of a file that is missing, can't be opened with its password, or has no RSA private key.
    /// </summary>
    public static DataProtectionCertificates? Load(IConfiguration configuration, string contentRoot)
    {
        var options = configuration.GetSection(DataProtectionCertificateOptions.SectionName).Get<DataProtectionCertificateOptions>() ?? new();
        var section = DataProtectionCertificateOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            if (options.PreviousPaths.Count > 0)
                throw new InvalidSettingException($"{section}:Path", $"is required when {section}:PreviousPaths is set (the previous certificates only decrypt).");
            return null;
        }
        var current = LoadOne(options.Path, options.Password, contentRoot, $"{section}:Path", $"{section}:Password");
        var previous = options.PreviousPaths
            .Select((path, i) => LoadOne(path, i < options.PreviousPasswords.Count ? options.PreviousPasswords[i] : options.Password, contentRoot,
                $"{section}:PreviousPaths:{i}", i < options.PreviousPasswords.Count ? $"{section}:PreviousPasswords:{i}" : $"{section}:Password"))
            .ToList();
        return new DataProtectionCertificates(current, previous);
    }

    private static X509Certificate2 LoadOne(string path, string? password, string contentRoot, string pathKey, string passwordKey)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new InvalidSettingException(pathKey, "is empty; give the path of a .pfx file.");
        var fullPath = System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(contentRoot, path));
        if (!File.Exists(fullPath))
            throw new InvalidSettingException(pathKey, $"no certificate file at '{fullPath}'.");
        X509Certificate2 certificate;
        try
        {
            // Ephemeral: the private key stays in this process's memory, never written to a key store (not supported on macOS).
            var flags = OperatingSystem.IsMacOS() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;
            certificate = X509CertificateLoader.LoadPkcs12FromFile(fullPath, string.IsNullOrEmpty(password) ? null : password, flags);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidSettingException(passwordKey, $"the certificate '{fullPath}' could not be opened with it ({ex.Message.TrimEnd('.')}).");
        }
        using var rsa = certificate.HasPrivateKey ? certificate.GetRSAPrivateKey() : null;
        if (rsa is null)
        {
            certificate.Dispose();
            throw new InvalidSettingException(pathKey, $"'{fullPath}' has no RSA private key; the keys could not be decrypted with it.");
        }
        return certificate;
    }
}
