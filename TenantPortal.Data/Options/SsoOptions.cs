namespace TenantPortal.Data.Options;

/// <summary>
/// The <c>Sso</c> section. <c>Sso:AllowHttpIssuers</c> lets a tenant's single sign-on use an <c>http://</c> issuer at a
/// loopback or private address (an identity provider on loopback in tests); it is refused at start-up outside the
/// Development and Testing environments, so a production portal only ever talks to identity providers over TLS, at
/// public addresses.
/// </summary>
public sealed class SsoOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Sso";

    /// <summary>The key, as errors name it.</summary>
    public const string AllowHttpIssuersKey = SectionName + ":AllowHttpIssuers";

    /// <summary>The message when <see cref="AllowHttpIssuers"/> is set where it may not be.</summary>
    public const string AllowHttpRefused = AllowHttpIssuersKey + " is for tests only: it may be true only in the Development or Testing environment.";

    /// <summary>When true, issuers may be <c>http://</c> (Development and Testing only).</summary>
    public bool AllowHttpIssuers { get; set; }

    /// <summary>True for the environments where <see cref="AllowHttpIssuers"/> may be on.</summary>
    public static bool MayAllowHttp(string environmentName) =>
        environmentName is "Development" or "Testing";
}
