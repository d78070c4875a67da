namespace TenantPortal.Core.Common;

/// <summary>Column lengths shared by validation and the database mapping.</summary>
public static class FieldLengths
{
    /// <summary>Display names (tenant, API key).</summary>
    public const int Name = 100;
    /// <summary>Email addresses (RFC 5321 limit).</summary>
    public const int Email = 254;
    /// <summary>Host names such as a custom domain.</summary>
    public const int HostName = 253;
    /// <summary>Identity user ids.</summary>
    public const int UserId = 450;
    /// <summary>External ids (Stripe and the like).</summary>
    public const int ExternalId = 255;
    /// <summary>Hex SHA-256 hashes.</summary>
    public const int Sha256Hex = 64;
    /// <summary>Client event ids on usage events.</summary>
    public const int ClientEventId = 128;
    /// <summary>Short free text such as an audit target or a notification title.</summary>
    public const int ShortText = 200;
    /// <summary>Longer free text such as a description or a message.</summary>
    public const int LongText = 2000;
}
