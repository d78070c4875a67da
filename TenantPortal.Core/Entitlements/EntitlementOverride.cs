using TenantPortal.Core.Common;

namespace TenantPortal.Core.Entitlements;

/// <summary>
/// An operator's override of one feature for one tenant, in place of the plan's value, optionally until a moment (UTC):
/// from <see cref="ExpiresAt"/> on it no longer applies (it is evaluated when read, so nothing needs to run at that moment).
/// </summary>
public class EntitlementOverride : ITenantOwned
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The feature's name (<see cref="EntitlementFeatures"/>).</summary>
    public string Feature { get; set; } = "";

    /// <summary>On or off (for a limit: the limit is not 0).</summary>
    public bool Enabled { get; set; }

    /// <summary>The limit of a limit feature (-1 unlimited); null for a flag.</summary>
    public long? Limit { get; set; }

    /// <summary>When it stops applying; null for no end.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Why the operator set it (also in the audit log).</summary>
    public string Reason { get; set; } = "";

    /// <summary>When it was set.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who set it, as the audit log shows them.</summary>
    public string CreatedBy { get; set; } = "";

    /// <summary>The value it gives.</summary>
    public EntitlementValue Value => new(Enabled, Limit);

    /// <summary>True when it applies at <paramref name="now"/>.</summary>
    public bool AppliesAt(DateTimeOffset now) => ExpiresAt is not { } end || now < end;
}
