using System.ComponentModel.DataAnnotations;

namespace TenantPortal.Data.Options;

/// <summary>The <c>Stripe</c> section. An empty secret key means billing runs on the local ledger.</summary>
public sealed class StripeOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Stripe";

    /// <summary>The secret API key (<c>sk_…</c>); empty = local ledger.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>The webhook endpoint's signing secret (<c>whsec_…</c>).</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>Overrides Stripe's API address (a local Stripe mock); empty = api.stripe.com.</summary>
    public string ApiBase { get; set; } = "";

    /// <summary>True when billing goes through Stripe.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(SecretKey);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(ApiBase)
            && (!Uri.TryCreate(ApiBase, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            yield return new ValidationResult("Stripe:ApiBase must be an absolute http(s) address, e.g. http://localhost:12111.", [nameof(ApiBase)]);
        if (Enabled && !SecretKey.StartsWith("sk_", StringComparison.Ordinal) && !SecretKey.StartsWith("rk_", StringComparison.Ordinal))
            yield return new ValidationResult("Stripe:SecretKey must be a Stripe secret key (sk_…) or restricted key (rk_…), or empty for the local ledger.", [nameof(SecretKey)]);
    }
}
