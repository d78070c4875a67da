using System.Text.RegularExpressions;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// Finds secret-looking values in source and configuration text: Stripe keys and webhook secrets, the portal's own API
/// keys, passwords in connection strings, non-empty secret settings in JSON, private keys, AWS and GitHub tokens.
/// Test code may hold obviously fake values (<see cref="IsObviouslyFake"/>); the documented Development demo password is
/// the one allowed value in configuration.
/// </summary>
public static partial class SecretScanner
{
    /// <summary>The documented demo password (Development only, README "Configuration"): not a secret.</summary>
    public const string DemoPassword = "Demo-Portal-2026";

    /// <summary>One secret-looking value: where, which rule, and the value (cut short).</summary>
    public sealed record Finding(string File, int Line, string Rule, string Value)
    {
        public override string ToString() => $"{File}:{Line} {Rule}: {(Value.Length > 14 ? Value[..14] + "…" : Value)}";
    }

    private static readonly (string Rule, Regex Pattern)[] Rules =
    [
        ("Stripe secret or restricted key", StripeKey()),
        ("Stripe webhook secret", StripeWebhookSecret()),
        ("TenantPortal API key", PortalApiKey()),
        ("password in a connection string", ConnectionStringPassword()),
        ("secret setting with a value", JsonSecretSetting()),
        ("private key", PrivateKey()),
        ("AWS access key", AwsKey()),
        ("GitHub token", GitHubToken()),
    ];

    /// <summary>The findings in one file's text; <paramref name="isTestCode"/> lets obviously fake values through.</summary>
    public static IReadOnlyList<Finding> Scan(string file, string text, bool isTestCode)
    {
        var findings = new List<Finding>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (var (rule, pattern) in Rules)
            {
                foreach (Match match in pattern.Matches(lines[i]))
                {
                    var value = match.Groups["value"].Success ? match.Groups["value"].Value : match.Value;
                    if (value == DemoPassword || (isTestCode && IsObviouslyFake(value)) || IsPlaceholder(value))
                        continue;
                    findings.Add(new Finding(file, i + 1, rule, value));
                }
            }
        }
        return findings;
    }

    /// <summary>A fake that says so ("test", "fake", "demo", "example", "dummy", "sample", "wrong", "not_the"), or a run of one or two characters, or "0123…".</summary>
    public static bool IsObviouslyFake(string value)
    {
        var lower = value.ToLowerInvariant();
        if (new[] { "test", "fake", "demo", "example", "dummy", "sample", "wrong", "not_the" }.Any(lower.Contains))
            return true;
        var payload = lower[(lower.LastIndexOf('_') + 1)..];
        return payload.Length > 0 && (payload.Distinct().Count() <= 2 || "0123456789abcdefghijklmnopqrstuvwxyz".Contains(payload, StringComparison.Ordinal));
    }

    // Interpolations, references, elisions and patterns, not values: {0}, @Model, $(Var), ${VAR}, <password>, "…", a regex group "([^;]*)",
    // a printf format (%s).
    private static bool IsPlaceholder(string value) =>
        value.StartsWith('%') || value.StartsWith('{') || value.StartsWith('(') || value.StartsWith('@') || value.StartsWith('$') || value.StartsWith('<') || value.StartsWith('…') || value.StartsWith("...", StringComparison.Ordinal);

    [GeneratedRegex(@"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}")]
    private static partial Regex StripeKey();

    [GeneratedRegex(@"\bwhsec_[A-Za-z0-9+/=_-]{16,}")]
    private static partial Regex StripeWebhookSecret();

    [GeneratedRegex(@"\btp_(?:live|test)_[A-Za-z0-9_-]{32,}")]
    private static partial Regex PortalApiKey();

    [GeneratedRegex(@"(?i)\b(?:password|pwd)=(?<value>[^;""'\s]+)")]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"(?i)""(?:[A-Za-z]*(?:secret|password|apikey|token|secretkey))""\s*:\s*""(?<value>[^""]+)""")]
    private static partial Regex JsonSecretSetting();

    [GeneratedRegex(@"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")]
    private static partial Regex AwsKey();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})")]
    private static partial Regex GitHubToken();
}
