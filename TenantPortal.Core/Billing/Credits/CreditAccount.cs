using TenantPortal.Core.Common;

namespace TenantPortal.Core.Billing.Credits;

/// <summary>
/// A tenant's credit settings: the owner's low-balance threshold and the alert's state. The alert fires once per crossing:
/// when the balance is below the threshold and the alert is armed, it fires and disarms; it re-arms once the balance is at
/// or above the threshold again (or the threshold changes).
/// </summary>
public class CreditAccount : ITenantOwned
{
    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>Alert when the balance falls below this many cents; null for no alert.</summary>
    public long? LowBalanceThresholdCents { get; private set; }

    /// <summary>True after the alert fired, until the balance is back at or above the threshold.</summary>
    public bool LowBalanceAlerted { get; private set; }

    /// <summary>How many times the alert has fired (each crossing's notices are keyed by it).</summary>
    public int LowBalanceAlerts { get; private set; }

    /// <summary>When the settings or the alert state last changed.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Sets (or clears, with null) the threshold; the alert is re-armed so that the new threshold is checked afresh.</summary>
    public Result SetThreshold(long? cents, DateTimeOffset now)
    {
        if (cents is < 0 or > CreditRules.MaxThresholdCents)
            return Error.Invalid("lowBalanceThresholdCents", $"The threshold is from $0.00 to {Money.Format(CreditRules.MaxThresholdCents)}, or empty for no alert.");
        LowBalanceThresholdCents = cents;
        LowBalanceAlerted = false;
        UpdatedAt = now;
        return Result.Success();
    }

    /// <summary>
    /// Looks at the balance: true when the alert fires now (below the threshold while armed; it disarms). A balance at or
    /// above the threshold re-arms it. A threshold of zero never fires (a balance is never below zero).
    /// </summary>
    public bool Evaluate(long balanceCents, DateTimeOffset now)
    {
        if (LowBalanceThresholdCents is not { } threshold)
            return false;
        if (balanceCents < threshold)
        {
            if (LowBalanceAlerted)
                return false;
            LowBalanceAlerted = true;
            LowBalanceAlerts++;
            UpdatedAt = now;
            return true;
        }
        if (LowBalanceAlerted)
        {
            LowBalanceAlerted = false;
            UpdatedAt = now;
        }
        return false;
    }
}
