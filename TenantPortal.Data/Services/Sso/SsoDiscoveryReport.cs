namespace TenantPortal.Data.Services.Sso;

/// <summary>What the issuer's discovery document says, for "Test connection".</summary>
/// <param name="Issuer">The document's <c>issuer</c>.</param>
/// <param name="AuthorizationEndpoint">Where people are sent to sign in.</param>
/// <param name="TokenEndpoint">Where the portal redeems the code.</param>
/// <param name="IssuerMatches">Whether <see cref="Issuer"/> is the URL configured (tokens must carry it).</param>
/// <param name="SupportsCode">Whether the <c>code</c> response type is offered.</param>
/// <param name="SupportsPkce">Whether <c>S256</c> is among the code challenge methods.</param>
public sealed record SsoDiscoveryReport(
    string Issuer,
    string AuthorizationEndpoint,
    string TokenEndpoint,
    bool IssuerMatches,
    bool SupportsCode,
    bool SupportsPkce)
{
    /// <summary>True when the portal can sign people in there.</summary>
    public bool Usable => IssuerMatches && SupportsCode && SupportsPkce;
}
