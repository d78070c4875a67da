namespace TenantPortal.Data.Options;

/// <summary>
/// The <c>DataProtection:Certificate</c> section: the certificate (a PKCS#12 <c>.pfx</c> file with an RSA key) that
/// encrypts the Data Protection keys before they are stored in the database, and the certificates of earlier rotations,
/// which still decrypt the keys they encrypted. Required outside Development (see <see cref="DataProtectionCertificates"/>).
/// </summary>
public sealed class DataProtectionCertificateOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "DataProtection:Certificate";

    /// <summary>The current certificate's file; relative paths are under the content root.</summary>
    public string? Path { get; set; }

    /// <summary>The current certificate file's password (empty for a file without one).</summary>
    public string? Password { get; set; }

    /// <summary>Certificates used before <see cref="Path"/>: keys they encrypted stay readable until those keys expire.</summary>
    public List<string> PreviousPaths { get; set; } = [];

    /// <summary>The passwords of <see cref="PreviousPaths"/>, in the same order; a missing one means <see cref="Password"/>.</summary>
    public List<string> PreviousPasswords { get; set; } = [];
}
