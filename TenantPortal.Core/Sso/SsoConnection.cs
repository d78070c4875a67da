using TenantPortal.Core.Common;
using TenantPortal.Core.Members;

namespace TenantPortal.Core.Sso;

/// <summary>
/// A tenant's single sign-on through its own OpenID Connect provider (one per tenant). The client secret is kept
/// protected (the data layer protects and unprotects it; this type only holds the protected form). People whose email
/// domain is one of <see cref="AllowedDomains"/> (and still verified by the tenant) sign in there; the first sign-in
/// makes them a member with <see cref="DefaultRole"/>. It changes state only through its own methods; every change
/// moves <see cref="Version"/>, which keys the handler options each instance caches.
/// </summary>
public class SsoConnection : ITenantOwned
{
    /// <summary>Longest issuer URL.</summary>
    public const int IssuerLength = 400;

    /// <summary>Longest client id.</summary>
    public const int ClientIdLength = 200;

    /// <summary>Longest client secret a tenant may enter (before protection).</summary>
    public const int ClientSecretLength = 500;

    /// <summary>Longest stored (protected) secret.</summary>
    public const int ProtectedSecretLength = 2000;

    /// <summary>Longest stored list of allowed domains (comma separated).</summary>
    public const int AllowedDomainsLength = 2000;

    // For EF Core; everyone else starts with Create.
    private SsoConnection()
    {
    }

    /// <summary>Primary key; it also names the connection's callback path <c>/signin-oidc/{Id:N}</c>.</summary>
    public Guid Id { get; private set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The provider's issuer URL (absolute; its discovery document is <c>{Issuer}/.well-known/openid-configuration</c>).</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>The client id the provider gave the portal.</summary>
    public string ClientId { get; private set; } = "";

    /// <summary>The client secret, protected with Data Protection; never shown again.</summary>
    public string ProtectedClientSecret { get; private set; } = "";

    /// <summary>The allowed email domains, normalized, comma separated (see <see cref="Domains"/>).</summary>
    public string AllowedDomains { get; private set; } = "";

    /// <summary>The role people joining through SSO get (never Owner).</summary>
    public TenantRole DefaultRole { get; private set; } = TenantRole.Member;

    /// <summary>When on, members (not Owners) can't sign in with a password while they belong to the tenant.</summary>
    public bool RequireSso { get; private set; }

    /// <summary>When off, nobody is sent to the provider and "require SSO" does not apply.</summary>
    public bool Enabled { get; private set; }

    /// <summary>Moves with every change: the key of each instance's cached handler options.</summary>
    public int Version { get; private set; }

    /// <summary>When it was first configured.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The allowed domains as a list.</summary>
    public IReadOnlyList<string> Domains => AllowedDomains.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A new, enabled connection.</summary>
    public static SsoConnection Create(Guid tenantId, DateTimeOffset now) =>
        new() { TenantId = tenantId, CreatedAt = now, UpdatedAt = now, Enabled = true };

    /// <summary>
    /// Sets the settings (already validated). A null <paramref name="protectedClientSecret"/> keeps the stored one.
    /// </summary>
    public void Configure(string issuer, string clientId, string? protectedClientSecret, IEnumerable<string> allowedDomains,
        TenantRole defaultRole, bool requireSso, bool enabled, DateTimeOffset now)
    {
        if (defaultRole == TenantRole.Owner)
            throw new ArgumentException("Nobody joins as Owner through single sign-on.", nameof(defaultRole));
        if (protectedClientSecret is null && ProtectedClientSecret.Length == 0)
            throw new ArgumentException("A new connection needs a client secret.", nameof(protectedClientSecret));
        Issuer = issuer;
        ClientId = clientId;
        if (protectedClientSecret is not null)
            ProtectedClientSecret = protectedClientSecret;
        AllowedDomains = string.Join(',', allowedDomains.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        DefaultRole = defaultRole;
        RequireSso = requireSso;
        Enabled = enabled;
        Touch(now);
    }

    /// <summary>Switches it off: nobody is sent to the provider, and passwords work again for everyone.</summary>
    public bool Disable(DateTimeOffset now)
    {
        if (!Enabled)
            return false;
        Enabled = false;
        Touch(now);
        return true;
    }

    /// <summary>True when <paramref name="normalizedDomain"/> is one of the allowed domains.</summary>
    public bool Allows(string normalizedDomain) => Domains.Contains(normalizedDomain, StringComparer.Ordinal);

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }
}
